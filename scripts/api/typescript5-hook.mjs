/**
 * Node module-resolution hook (https://nodejs.org/api/module.html#customization-hooks): openapi-typescript
 * builds its output with TypeScript's JS API (`import ts from 'typescript'`), which the repository's
 * `typescript` 7 (the native compiler) does not have. Its import is answered with `typescript5`, the
 * `npm:typescript@5` alias in the root package.json; every other `typescript` import is left alone.
 */
export async function resolve(specifier, context, nextResolve) {
  if (specifier === 'typescript' && context.parentURL?.includes('/node_modules/openapi-typescript/')) {
    return nextResolve('typescript5', context);
  }
  return nextResolve(specifier, context);
}
