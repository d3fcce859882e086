// npm run chart:render -- -f helm/tablestakes/values-production.yaml -f helm/tablestakes/values-eu-west.yaml
// npm run chart:validate      renders every environment × region combination and validates every manifest
import { parseArgs } from "node:util";
import { KUBE_VERSION, renderChart, valuesCombinations } from "../deploy/chart-render.ts";
import { parseManifests, validateManifests } from "../deploy/manifest-validation.ts";

const USAGE = `usage: chart.ts render [-f values.yaml]... [--release NAME] [--namespace NS]
       chart.ts validate`;

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    values: { type: "string", short: "f", multiple: true, default: [] },
    release: { type: "string" },
    namespace: { type: "string" },
  },
});

const [command] = positionals;
if (command === "render") {
  process.stdout.write(
    renderChart({ valueFiles: values.values, release: values.release, namespace: values.namespace }),
  );
} else if (command === "validate") {
  let failed = false;
  for (const valueFiles of valuesCombinations()) {
    const label = valueFiles.map((file) => file.split("/").pop()).join(" + ");
    const manifests = parseManifests(renderChart({ valueFiles }));
    const problems = await validateManifests(manifests);
    console.log(`${problems.length === 0 ? "ok  " : "FAIL"} ${label}: ${manifests.length} manifests`);
    for (const problem of problems) console.log(`     ${problem}`);
    failed ||= problems.length > 0;
  }
  console.log(
    `validated against the Kubernetes ${KUBE_VERSION} API (kubernetes-models) and the Prometheus operator v1 CRDs`,
  );
  process.exitCode = failed ? 1 : 0;
} else {
  console.error(USAGE);
  process.exitCode = 2;
}
