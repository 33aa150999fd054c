// `import "server-only"` marks a module that touches the database, secrets or auth. Next's bundler
// handles it itself (a build error when client code imports such a module); everywhere else (vitest,
// the `rollcall` CLI and the benches under tsx, tsc) tsconfig's `paths` and vitest's alias resolve
// it to this empty module, so no npm package is needed.
export {};
