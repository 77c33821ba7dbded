/** NO_COLOR (https://no-color.org): set and not empty means no colour, for the dashboard and stderr alike. */
export function colorWanted(env: NodeJS.ProcessEnv): boolean {
  return (env['NO_COLOR'] ?? '') === '';
}
