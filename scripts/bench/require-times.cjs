/**
 * Where start-up time goes (issue #13): loaded with `node --require`, it times every `require` of the
 * process and prints, at exit, the modules whose loading (their own requires included) took longest.
 * Not used in production. After `npm run build`:
 *
 *   node --require ./scripts/bench/require-times.cjs -e "require('./dist/src/main.js')"   # main exits on its missing configuration; the requires are done by then
 *   node --require ./scripts/bench/require-times.cjs dist/scripts/bench/stack-bot.js
 */
const Module = require('node:module');

const load = Module.prototype.require;
const took = new Map();
Module.prototype.require = function require(id) {
  const started = process.hrtime.bigint();
  try {
    return load.apply(this, arguments);
  } finally {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    // A relative id is named with the file that required it; a package by its name.
    const name = id.startsWith('.') ? `${this.filename.replace(/.*node_modules\//, '').replace(process.cwd() + '/', '')} -> ${id}` : id;
    if (ms >= 10) took.set(name, (took.get(name) ?? 0) + ms);
  }
};

process.on('exit', () => {
  const rows = [...took].sort((a, b) => b[1] - a[1]).slice(0, Number(process.env.REQUIRE_TIMES_TOP ?? 30));
  process.stderr.write(
    `slowest requires (ms, including what each required in turn):\n${rows.map(([name, ms]) => `${ms.toFixed(0).padStart(6)}  ${name}`).join('\n')}\n`,
  );
});
