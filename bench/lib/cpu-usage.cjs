// Preloaded into a measured process (NODE_OPTIONS=--require): writes the process's CPU time
// (user + system, all threads, microseconds) and its peak resident set size (kilobytes) to the
// file named by ARCHLINT_BENCH_CPU when it exits, as "<cpu> <maxRss>".
// CPU time moves far less than wall time when other work shares the machine.
const fs = require("node:fs");
const out = process.env.ARCHLINT_BENCH_CPU;
if (out) {
  process.on("exit", () => {
    const { user, system } = process.cpuUsage();
    fs.writeFileSync(out, `${user + system} ${process.resourceUsage().maxRSS}`);
  });
}
