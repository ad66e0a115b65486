/** Runs a bench's main to its exit code; should a handle still hold the event loop after, exits anyway. */
export function runBench(main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
      setTimeout(() => {
        console.error('bench: handles still open after closing, exiting');
        process.exit(code);
      }, 5_000).unref();
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
