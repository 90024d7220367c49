/**
 * Preloaded into the server under test (`node --expose-gc --import ./bench/gc-on-signal.ts`):
 * on SIGUSR2 it runs a full garbage collection and says so on stdout, with the heap then in
 * use, so the benchmark reads the server's memory as what it holds, not as garbage not yet
 * collected. (Twisted's
 * CPython frees at once, by reference counting; bench/twisted_echo.py answers the same signal.)
 */
import process from "node:process";

process.on("SIGUSR2", () => {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  gc?.();
  const heapKb = Math.round(process.memoryUsage().heapUsed / 1024);
  process.stdout.write(`[bench] gc ${gc ? "done" : "unavailable"} heap=${heapKb}\n`);
});
