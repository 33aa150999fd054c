import Link from "next/link";

export default function NotFound() {
  return (
    <main className="mx-auto max-w-xl p-8">
      <h1 className="text-2xl font-semibold">Not found</h1>
      <p className="mt-2 text-slate-700">There is no such page, or it is not one you can see.</p>
      <p className="mt-4">
        <Link href="/sessions" className="text-indigo-800 underline">
          Go to your sessions
        </Link>
      </p>
    </main>
  );
}
