import type { CalculationView } from "@/lib/calculation/calculation-history.ts";
import { calculationReason } from "@/lib/calculation/report-changes.ts";
import { formatDateTime } from "@/lib/time/format.ts";
import { plural } from "@/lib/words.ts";

/** The latest calculation beside "Calculated …": what it changed and the policy version it used. */
export function LatestCalculation({
  calculations,
  policyVersion,
}: {
  calculations: CalculationView[];
  policyVersion: number | null;
}) {
  const latest = calculations.at(-1);
  if (!latest && policyVersion === null) return null;
  return (
    <p className="mt-1 text-sm text-slate-700" data-testid="latest-calculation">
      {policyVersion === null ? "" : `With policy version ${policyVersion}. `}
      {latest ? `Last calculation: ${latest.words}` : ""}
    </p>
  );
}

/** Every calculation of the class, oldest first: when, why, the policy version, and what it changed. */
export function CalculationHistory({ calculations, timeZone }: { calculations: CalculationView[]; timeZone: string }) {
  if (!calculations.length) return null;
  return (
    <details className="mt-2 rounded-lg border border-slate-200 bg-white p-3 text-sm" data-testid="calculation-history">
      <summary className="cursor-pointer font-medium">
        Calculation history ({plural(calculations.length, "calculation")})
      </summary>
      <ol className="mt-2 space-y-2">
        {calculations.map((calculation, index) => (
          <li key={`${calculation.at} ${index}`} className="border-l-2 border-slate-200 pl-3">
            <p>
              <span className="font-medium">{formatDateTime(calculation.at, timeZone)}</span>,{" "}
              {calculationReason(calculation)}, with policy version {calculation.policyVersion}:
            </p>
            <p className="text-slate-700">{calculation.words}</p>
          </li>
        ))}
      </ol>
    </details>
  );
}
