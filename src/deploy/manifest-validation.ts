// Validates rendered manifests: each object against the Kubernetes OpenAPI schemas (kubernetes-models, the API of
// KUBE_VERSION), the Prometheus operator's resources against their structural schemas, and the references between
// the chart's objects that the API server does not check (selectors that match the pods, backends that exist, a
// hook that needs nothing the chart creates later, a grace period that covers the drain).
import { Ajv } from "ajv";
import { parseAllDocuments } from "yaml";
import { prometheusRuleSchema, serviceMonitorSchema } from "./prometheus-operator-schemas.ts";

export interface Manifest {
  source: string;
  apiVersion: string;
  kind: string;
  name: string;
  // biome-ignore lint/suspicious/noExplicitAny: rendered YAML is untyped until validated
  body: any;
}

const SOURCE_LINE = /^\s*Source: (.+)$/m;

export function parseManifests(rendered: string): Manifest[] {
  const manifests: Manifest[] = [];
  for (const document of parseAllDocuments(rendered)) {
    if (document.errors.length > 0) throw new Error(`rendered YAML does not parse: ${document.errors[0]!.message}`);
    const body = document.toJS();
    if (body === null || body === undefined) continue;
    const comment = `${document.commentBefore ?? ""}\n${(document.contents as { commentBefore?: string })?.commentBefore ?? ""}`;
    manifests.push({
      source: SOURCE_LINE.exec(comment)?.[1]?.trim() ?? "?",
      apiVersion: String(body.apiVersion ?? ""),
      kind: String(body.kind ?? ""),
      name: String(body.metadata?.name ?? ""),
      body,
    });
  }
  return manifests;
}

/** Group/version → the kubernetes-models module that holds its kinds; only versions a 1.34 API server serves. */
const SERVED_API_VERSIONS: Record<string, string> = {
  v1: "kubernetes-models/v1",
  "apps/v1": "kubernetes-models/apps/v1",
  "batch/v1": "kubernetes-models/batch/v1",
  "policy/v1": "kubernetes-models/policy/v1",
  "autoscaling/v2": "kubernetes-models/autoscaling/v2",
  "networking.k8s.io/v1": "kubernetes-models/networking.k8s.io/v1",
  "rbac.authorization.k8s.io/v1": "kubernetes-models/rbac.authorization.k8s.io/v1",
};

const ajv = new Ajv({ allErrors: true, strict: false });
const CUSTOM_RESOURCES: Record<string, ReturnType<typeof ajv.compile>> = {
  "monitoring.coreos.com/v1/ServiceMonitor": ajv.compile(serviceMonitorSchema),
  "monitoring.coreos.com/v1/PrometheusRule": ajv.compile(prometheusRuleSchema),
};

interface SchemaProblem {
  instancePath?: string;
  message?: string;
}

function describe(m: Manifest): string {
  return `${m.source} ${m.kind}/${m.name}`;
}

async function schemaProblems(m: Manifest): Promise<string[]> {
  if (!m.apiVersion || !m.kind || !m.name) return [`${describe(m)}: apiVersion, kind and metadata.name are required`];
  const custom = CUSTOM_RESOURCES[`${m.apiVersion}/${m.kind}`];
  if (custom) {
    if (custom(m.body)) return [];
    return (custom.errors ?? []).map((e) => `${describe(m)}: ${e.instancePath || "/"} ${e.message}`);
  }
  const module = SERVED_API_VERSIONS[m.apiVersion];
  if (!module) return [`${describe(m)}: ${m.apiVersion} is not an API version this chart's clusters serve`];
  const models = (await import(module)) as Record<string, new (data: unknown) => { validate(): void }>;
  const Model = models[m.kind];
  if (!Model) return [`${describe(m)}: ${m.apiVersion} has no kind ${m.kind}`];
  try {
    new Model(m.body).validate();
    return [];
  } catch (error) {
    const errors = (error as { errors?: SchemaProblem[] }).errors;
    if (!errors) return [`${describe(m)}: ${String(error)}`];
    return errors.map((e) => `${describe(m)}: ${e.instancePath || "/"} ${e.message}`);
  }
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

function matches(selector: Record<string, string> | undefined, labels: Record<string, string> | undefined): boolean {
  if (!selector || Object.keys(selector).length === 0) return false;
  return Object.entries(selector).every(([key, value]) => labels?.[key] === value);
}

// biome-ignore lint/suspicious/noExplicitAny: walking untyped pod specs
function podSpecs(manifests: Manifest[]): { owner: Manifest; spec: any; labels: Record<string, string> }[] {
  return manifests.flatMap((m) => {
    if (m.kind === "StatefulSet" || m.kind === "Job")
      return [{ owner: m, spec: m.body.spec?.template?.spec, labels: m.body.spec?.template?.metadata?.labels }];
    if (m.kind === "CronJob") {
      const template = m.body.spec?.jobTemplate?.spec?.template;
      return [{ owner: m, spec: template?.spec, labels: template?.metadata?.labels }];
    }
    return [];
  });
}

function referenceProblems(manifests: Manifest[]): string[] {
  const problems: string[] = [];
  const byKind = (kind: string) => manifests.filter((m) => m.kind === kind);
  const services = byKind("Service");
  const [statefulSet, ...extraSets] = byKind("StatefulSet");
  if (!statefulSet || extraSets.length > 0) return ["the chart must render exactly one StatefulSet"];
  const podLabels: Record<string, string> = statefulSet.body.spec.template.metadata.labels;
  const stsName = statefulSet.name;
  // The controller adds a controller-revision-hash label of the name plus 11 characters; labels stop at 63.
  if (stsName.length > 52) problems.push(`${describe(statefulSet)}: name longer than 52 characters`);
  if (!matches(statefulSet.body.spec.selector.matchLabels, podLabels))
    problems.push(`${describe(statefulSet)}: selector does not match its pod template`);
  const hpa = byKind("HorizontalPodAutoscaler")[0];
  const podCount: number = hpa ? hpa.body.spec.maxReplicas : (statefulSet.body.spec.replicas ?? 1);

  const ordinals = new Set<number>();
  for (const service of services) {
    if (!DNS_LABEL.test(service.name) || service.name.length > 63)
      problems.push(`${describe(service)}: a Service name must be a DNS label`);
    const { "statefulset.kubernetes.io/pod-name": podName, ...rest } = service.body.spec.selector ?? {};
    if (!matches(rest, podLabels)) problems.push(`${describe(service)}: selector matches no pod of the StatefulSet`);
    if (podName !== undefined) {
      const ordinal = Number(String(podName).slice(stsName.length + 1));
      if (!String(podName).startsWith(`${stsName}-`) || !Number.isInteger(ordinal) || ordinal >= podCount)
        problems.push(`${describe(service)}: routes to ${podName}, which the StatefulSet never runs`);
      ordinals.add(ordinal);
    }
    for (const port of service.body.spec.ports ?? []) {
      const container = statefulSet.body.spec.template.spec.containers[0];
      if (
        typeof port.targetPort === "string" &&
        !container.ports?.some((p: { name: string }) => p.name === port.targetPort)
      )
        problems.push(`${describe(service)}: targetPort ${port.targetPort} is not a container port name`);
    }
  }
  for (let i = 0; i < podCount; i++) {
    if (!ordinals.has(i)) problems.push(`pod ${stsName}-${i} can run but has no Service to route players to it`);
  }

  for (const ingress of byKind("Ingress")) {
    for (const rule of ingress.body.spec.rules ?? []) {
      for (const p of rule.http?.paths ?? []) {
        const target = services.find((s) => s.name === p.backend.service?.name);
        const port = p.backend.service?.port;
        if (!target) problems.push(`${describe(ingress)}: ${p.path} goes to a Service the chart does not render`);
        else if (port?.name && !target.body.spec.ports.some((sp: { name: string }) => sp.name === port.name))
          problems.push(`${describe(ingress)}: ${p.path} uses port ${port.name}, which ${target.name} lacks`);
      }
    }
  }
  if (hpa && hpa.body.spec.scaleTargetRef.name !== stsName)
    problems.push(`${describe(hpa)}: scales ${hpa.body.spec.scaleTargetRef.name}, not the StatefulSet`);
  for (const pdb of byKind("PodDisruptionBudget")) {
    if (!matches(pdb.body.spec.selector.matchLabels, podLabels))
      problems.push(`${describe(pdb)}: selector matches no pod`);
  }
  for (const monitor of byKind("ServiceMonitor")) {
    const scraped = services.filter((s) => matches(monitor.body.spec.selector.matchLabels, s.body.metadata.labels));
    if (scraped.length !== 1)
      problems.push(`${describe(monitor)}: selects ${scraped.length} Services; each pod must be scraped once`);
    for (const endpoint of monitor.body.spec.endpoints) {
      if (scraped[0] && !scraped[0].body.spec.ports.some((p: { name: string }) => p.name === endpoint.port))
        problems.push(`${describe(monitor)}: port ${endpoint.port} is not a port of ${scraped[0].name}`);
    }
  }

  // A Job's pods share the release's labels; a selector that caught them would send players to a migration or count
  // it in the disruption budget.
  for (const { owner, labels } of podSpecs(manifests).filter((p) => p.owner.kind !== "StatefulSet")) {
    const selectors: [Manifest, Record<string, string> | undefined][] = [
      [statefulSet, statefulSet.body.spec.selector.matchLabels],
      ...services.map((s): [Manifest, Record<string, string>] => [s, s.body.spec.selector]),
      ...byKind("PodDisruptionBudget").map((p): [Manifest, Record<string, string>] => [
        p,
        p.body.spec.selector.matchLabels,
      ]),
    ];
    for (const [selecting, selector] of selectors) {
      if (matches(selector, labels)) problems.push(`${describe(selecting)}: selects the pods of ${describe(owner)}`);
    }
  }

  const configMaps = new Set(byKind("ConfigMap").map((m) => m.name));
  for (const { owner, spec } of podSpecs(manifests)) {
    const isHook = owner.body.metadata.annotations?.["helm.sh/hook"] !== undefined;
    for (const container of spec?.containers ?? []) {
      for (const source of container.envFrom ?? []) {
        const name = source.configMapRef?.name;
        if (name && isHook && configMaps.has(name))
          problems.push(`${describe(owner)}: a hook runs before the chart creates ConfigMap ${name}`);
      }
      // Kubernetes expands $(NAME) only for variables defined earlier in the list (or from envFrom).
      const defined = new Set<string>();
      for (const variable of container.env ?? []) {
        for (const [, name] of String(variable.value ?? "").matchAll(/\$\(([A-Z_][A-Z0-9_]*)\)/g)) {
          if (!defined.has(name!) && !(container.envFrom ?? []).length)
            problems.push(`${describe(owner)}: ${variable.name} uses $(${name}) before it is defined`);
        }
        defined.add(variable.name);
      }
    }
  }

  const config = byKind("ConfigMap").find((m) => m.body.data?.SHUTDOWN_DEADLINE_MS !== undefined);
  if (config) {
    const deadlineSeconds = Number(config.body.data.SHUTDOWN_DEADLINE_MS) / 1000;
    const grace = statefulSet.body.spec.template.spec.terminationGracePeriodSeconds ?? 30;
    if (!(grace > deadlineSeconds))
      problems.push(`${describe(statefulSet)}: terminationGracePeriodSeconds ${grace} does not cover the drain`);
  }
  return problems;
}

/** Every problem found, each naming the template and object; empty when all manifests are valid. */
export async function validateManifests(rendered: Manifest[]): Promise<string[]> {
  // Identity is read from the body again, so a caller that edits an object is validated as edited.
  const manifests = rendered.map((m) => ({
    ...m,
    apiVersion: String(m.body?.apiVersion ?? ""),
    kind: String(m.body?.kind ?? ""),
    name: String(m.body?.metadata?.name ?? ""),
  }));
  const problems: string[] = [];
  for (const m of manifests) problems.push(...(await schemaProblems(m)));
  const seen = new Set<string>();
  for (const m of manifests) {
    const key = `${m.kind}/${m.name}`;
    if (seen.has(key)) problems.push(`${describe(m)}: rendered twice`);
    seen.add(key);
  }
  if (problems.length === 0) problems.push(...referenceProblems(manifests));
  return problems;
}
