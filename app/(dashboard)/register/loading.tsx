// Shown while the register is read on the server (a month of classes can take a moment).
export default function RegisterLoading() {
  return (
    <div role="status" aria-live="polite" className="mt-2">
      <h1 className="text-2xl font-semibold">Register</h1>
      <p className="mt-4 text-slate-700">Loading the register…</p>
      <div aria-hidden className="mt-4 h-48 motion-safe:animate-pulse rounded-lg bg-slate-200" />
    </div>
  );
}
