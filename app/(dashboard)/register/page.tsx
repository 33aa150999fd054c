import type { Metadata } from "next";
import Link from "next/link";
import { asOptions, FilterForm, FilterInput, FilterSelect, TeacherSelect } from "@/components/filter-form.tsx";
import { PrintButton } from "@/components/print-button.tsx";
import { RegisterTable } from "@/components/register/register-table.tsx";
import { requireViewer } from "@/lib/auth/require-viewer.ts";
import { sessionScope } from "@/lib/auth/viewer.ts";
import { listTeachers } from "@/lib/sessions/sessions-overview.ts";
import { registerTitle } from "@/lib/register/register-export.ts";
import { getRegister, ZRegisterFilterSchema, type Register, type TRegisterFilter } from "@/lib/register/register.ts";
import { getPrisma } from "@/lib/db/client.ts";
import { AppError } from "@/lib/errors.ts";
import { SESSION_TYPES } from "@/lib/sessions/session-schemas.ts";
import { plural } from "@/lib/words.ts";

export const metadata: Metadata = { title: "Register · Rollcall" };

const dayLabel = (date: string) =>
  new Intl.DateTimeFormat("en-GB", { timeZone: "UTC", day: "numeric", month: "short", year: "numeric" }).format(
    new Date(`${date}T00:00:00Z`),
  );

/** The query string of a filter, with changes (undefined removes a key). */
function queryOf(
  filter: TRegisterFilter,
  range: { from: string; to: string } | null,
  changes: Partial<Record<keyof TRegisterFilter, string | undefined>> = {},
): string {
  const values: Record<string, string | undefined> = {
    from: range?.from ?? filter.from,
    to: range?.to ?? filter.to,
    teacher: filter.teacher,
    series: filter.series,
    type: filter.type,
    sort: filter.sort === "name" ? undefined : filter.sort,
    missedOver: filter.missedOver === undefined ? undefined : String(filter.missedOver),
    ...changes,
  };
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value !== undefined && value !== "") params.set(key, value);
  return params.toString();
}

/** What the active filters say, for headings and empty states: "Tajweed · Ustadha Khadija · quran". */
function describeFilters(register: Register): string {
  return [register.course, register.teacherName, register.filter.type].filter(Boolean).join(" · ");
}

interface FiltersProps {
  isAdmin: boolean;
  teachers: { id: string; name: string }[];
  filter: TRegisterFilter;
  range: { from: string; to: string } | null;
  register: Register | null;
  query: string;
}

/** The range, teacher (for an admin), series, type, order and "missed more than" filters, and the two-classes question. */
function RegisterFilters({ isAdmin, teachers, filter, range, register, query }: FiltersProps) {
  return (
    <div className="print:hidden">
      <FilterForm action="/register" label="Filter the register" current={query}>
        <FilterInput name="from" label="From" type="date" value={range?.from ?? filter.from} />
        <FilterInput name="to" label="To" type="date" value={range?.to ?? filter.to} />
        {isAdmin ? <TeacherSelect teachers={teachers} value={filter.teacher} /> : null}
        <FilterSelect
          name="series"
          label="Class series"
          anyLabel="All series"
          value={filter.series}
          options={(register?.series ?? []).map((series) => ({ value: series.key, label: series.label }))}
        />
        <FilterSelect
          name="type"
          label="Type"
          anyLabel="All types"
          value={filter.type}
          options={asOptions(SESSION_TYPES)}
        />
        <FilterSelect
          name="sort"
          label="Order"
          anyLabel="By name"
          value={filter.sort === "name" ? undefined : filter.sort}
          options={[{ value: "missed", label: "Most missed first" }]}
        />
        <FilterInput
          name="missedOver"
          label="Missed more than"
          type="number"
          min={0}
          max={999}
          value={filter.missedOver === undefined ? undefined : String(filter.missedOver)}
        />
      </FilterForm>
      <p className="mt-2 text-sm">
        <Link
          href={`/register?${queryOf(filter, range, { sort: "missed", missedOver: "2" })}`}
          className="text-indigo-800 underline underline-offset-2"
        >
          Who missed more than two classes?
        </Link>
        <span className="text-slate-600"> Missed: absent or excused.</span>
      </p>
    </div>
  );
}

/** The register, or why there is none: a range refused, no classes, nobody missing that many. */
function RegisterBody({
  problem,
  register,
  filter,
  timeZone,
}: {
  problem: string | null;
  register: Register | null;
  filter: TRegisterFilter;
  timeZone: string;
}) {
  const filtersSaid = register ? describeFilters(register) : "";
  return problem ? (
    <div role="alert" className="mt-6 rounded-lg border border-amber-300 bg-amber-50 p-4 text-amber-950">
      <p>{problem}</p>
      <Link href="/register" className="mt-2 inline-block text-sm underline">
        Show this month
      </Link>
    </div>
  ) : register && register.columns.length === 0 ? (
    <p className="mt-6 rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-slate-700">
      No classes from {dayLabel(register.range.from)} to {dayLabel(register.range.to)}
      {filtersSaid ? ` for ${filtersSaid}` : ""}.{" "}
      <Link href="/register" className="underline">
        Clear filters
      </Link>
    </p>
  ) : register && register.rows.length === 0 ? (
    <p className="mt-6 rounded-lg border border-dashed border-slate-300 bg-white p-6 text-center text-slate-700">
      {register.studentCount === 0
        ? `No students on the rosters of ${plural(register.columns.length, "class")}.`
        : `No student missed more than ${plural(register.filter.missedOver ?? 0, "class")} of ${register.columns.length}.`}{" "}
      <Link
        href={`/register?${queryOf(filter, register.range, { missedOver: undefined, sort: undefined })}`}
        className="underline"
      >
        Show every student
      </Link>
    </p>
  ) : register ? (
    <>
      <p className="mt-4 text-sm text-slate-700" data-testid="register-summary">
        {register.rows.length === register.studentCount
          ? plural(register.rows.length, "student")
          : `${register.rows.length} of ${plural(register.studentCount, "student")} (missed more than ${register.filter.missedOver})`}{" "}
        · {plural(register.columns.length, "class")},{" "}
        {register.columns.filter((column) => column.state === "calculated").length} calculated
      </p>
      <RegisterTable
        caption={registerTitle(register)}
        columns={register.columns}
        rows={register.rows}
        timeZone={timeZone}
      />
    </>
  ) : null;
}

export default async function RegisterPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const viewer = await requireViewer("/register");
  const raw = await searchParams;
  const filter = ZRegisterFilterSchema.parse(
    Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v])),
  );
  const db = getPrisma();
  const tz = viewer.timezone;
  let register: Register | null = null;
  let problem: string | null = null;
  try {
    register = await getRegister(db, { scope: sessionScope(viewer), timeZone: tz, filter });
  } catch (error) {
    if (!(error instanceof AppError && error.code === "validation_failed")) throw error;
    problem = error.message;
  }
  const teachers = viewer.role === "admin" ? await listTeachers(db, viewer.academyId) : [];
  const range = register?.range ?? null;
  const query = queryOf(filter, range);

  return (
    <div>
      <div className="flex flex-wrap items-end justify-between gap-4">
        <div>
          <h1 className="text-2xl font-semibold print:text-base">{register ? registerTitle(register) : "Register"}</h1>
          <p className="text-sm text-slate-600 print:text-[8pt]">
            {viewer.role === "admin" ? `Every class of ${viewer.academyName}` : "Your classes"}
            {range ? `, ${dayLabel(range.from)} to ${dayLabel(range.to)}` : ""}, times in {tz}. Rate: (present + late) ÷
            (calculated classes − excused).
          </p>
        </div>
        {register && register.columns.length > 0 ? (
          <div className="flex flex-wrap gap-2 print:hidden">
            <a
              href={`/api/dashboard/register.csv?${query}`}
              download
              className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50"
            >
              Download CSV
            </a>
            <a
              href={`/api/dashboard/register.xlsx?${query}`}
              download
              className="rounded-md border border-slate-300 bg-white px-3 py-1.5 text-sm font-medium text-slate-800 hover:bg-slate-50"
            >
              Download XLSX
            </a>
            <PrintButton />
          </div>
        ) : null}
      </div>

      {/* Keyed by the query, so Clear and every link show the filter they lead to (no stale select). */}
      <RegisterFilters
        key={query}
        isAdmin={viewer.role === "admin"}
        teachers={teachers}
        filter={filter}
        range={range}
        register={register}
        query={query}
      />
      <RegisterBody problem={problem} register={register} filter={filter} timeZone={tz} />
    </div>
  );
}
