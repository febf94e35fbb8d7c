// Lets a benchmark module run on its own (`npx tsx scripts/bench/NAME.ts`), printing JSON.
export function runStandalone(name: string, run: () => Promise<unknown>): void {
  if (!new RegExp(`scripts[\\\\/]bench[\\\\/]${name}\\.[cm]?[tj]s$`).test(process.argv[1] ?? '')) return;
  run().then(
    (r) => {
      process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
      process.exit(0);
    },
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exit(1);
    },
  );
}
