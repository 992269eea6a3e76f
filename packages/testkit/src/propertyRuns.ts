/**
 * How many cases a property runs: `n` (the count a test names) times the scale in the
 * environment variable LMM_PROPERTY_SCALE (default 1), and never fewer than min(n, 10), so
 * every property still runs. `pnpm test` sets the scale to 0.25 (the CI's two cores);
 * `LMM_PROPERTY_SCALE=1 pnpm test` runs the counts as named, and `pnpm fuzz` runs the fuzz
 * properties at ten times or more. The one place the suite's case counts are tuned.
 */
export function propertyRuns(n: number): number {
  return Math.max(Math.min(n, 10), Math.round(n * propertyScale()));
}

/** The scale LMM_PROPERTY_SCALE gives (a positive number; default 1). Also sizes the slow tests' inputs. */
export function propertyScale(): number {
  const raw = process.env.LMM_PROPERTY_SCALE;
  const scale = raw === undefined || raw === '' ? 1 : Number(raw);
  if (!(scale > 0)) throw new Error(`LMM_PROPERTY_SCALE='${raw}' is not a positive number`);
  return scale;
}
