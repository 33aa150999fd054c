import { POLICY_WEEKS } from "@/client/policy-api.ts";
import { plural } from "@/lib/words.ts";

/** How far back a preview or a recalculation reaches: the classes of the last N weeks. */
export function WeeksSelect({ id, value, onChange }: { id: string; value: number; onChange: (weeks: number) => void }) {
  return (
    <div>
      <label htmlFor={id} className="block text-xs font-medium text-slate-800">
        Classes of the last
      </label>
      <select
        id={id}
        value={value}
        onChange={(event) => onChange(Number(event.target.value))}
        className="mt-1 rounded-md border border-slate-300 bg-white px-2 py-1 text-sm"
      >
        {POLICY_WEEKS.map((weeks) => (
          <option key={weeks} value={weeks}>
            {plural(weeks, "week")}
          </option>
        ))}
      </select>
    </div>
  );
}
