// Fails when a locked package's optional dependency has no entry of its own in package-lock.json: `npm ci` would then
// resolve it against the registry, and what the registry serves that day would decide the install.
const packages = require("../package-lock.json").packages;
const missing = [];
for (const [path, entry] of Object.entries(packages)) {
  for (const name of Object.keys(entry.optionalDependencies ?? {})) {
    let base = path;
    let found = false;
    for (;;) {
      if (packages[`${base ? `${base}/` : ""}node_modules/${name}`]) {
        found = true;
        break;
      }
      if (!base) break;
      const cut = base.lastIndexOf("/node_modules/");
      base = cut < 0 ? "" : base.slice(0, cut);
    }
    if (!found) missing.push(`${path || "(root)"} -> ${name}`);
  }
}
if (missing.length > 0) {
  console.error(
    `package-lock.json lacks these optional dependencies (regenerate it where the registry serves them):\n${missing.join("\n")}`,
  );
  process.exit(1);
}
console.log("package-lock.json lists every optional dependency");
