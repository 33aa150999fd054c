"use client";

// The home and sign-in pages failed to render (they look up who is signed in): the same answer as
// the dashboard's, which says when the database is unreachable and retries by itself.
import DashboardError from "./(dashboard)/error.tsx";

export default function RootError(props: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="mx-auto max-w-xl p-8">
      <DashboardError {...props} />
    </main>
  );
}
