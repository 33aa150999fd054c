// An API key's name (what uses it), checked in the same words by the form and the route.

export const MAX_API_KEY_NAME = 100;

/** What is wrong with a key's name, or null when it will do. */
export function apiKeyNameProblem(name: string): string | null {
  const trimmed = name.trim();
  if (trimmed === "") return "Name is required: say what uses the key, e.g. moodle";
  if (trimmed.length > MAX_API_KEY_NAME)
    return `Name must be at most ${MAX_API_KEY_NAME} characters (it has ${trimmed.length})`;
  return null;
}
