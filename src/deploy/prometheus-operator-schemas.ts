// Structural schemas for the two Prometheus operator resources the chart renders (monitoring.coreos.com/v1), written
// from the operator's CRDs for the fields a chart sets. No npm package publishes them; a real cluster's API server
// validates against the full CRD.

const labelMap = { type: "object", additionalProperties: { type: "string" } };
const duration = {
  type: "string",
  pattern: "^(0|(([0-9]+)y)?(([0-9]+)w)?(([0-9]+)d)?(([0-9]+)h)?(([0-9]+)m)?(([0-9]+)s)?(([0-9]+)ms)?)$",
};
const objectMeta = {
  type: "object",
  required: ["name"],
  properties: {
    name: { type: "string", pattern: "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", maxLength: 253 },
    namespace: { type: "string" },
    labels: labelMap,
    annotations: labelMap,
  },
};
const labelSelector = {
  type: "object",
  additionalProperties: false,
  properties: {
    matchLabels: labelMap,
    matchExpressions: {
      type: "array",
      items: {
        type: "object",
        required: ["key", "operator"],
        properties: {
          key: { type: "string" },
          operator: { enum: ["In", "NotIn", "Exists", "DoesNotExist"] },
          values: { type: "array", items: { type: "string" } },
        },
      },
    },
  },
};
const relabelConfig = {
  type: "object",
  additionalProperties: false,
  properties: {
    action: {
      enum: ["replace", "Replace", "keep", "Keep", "drop", "Drop", "hashmod", "HashMod", "labelmap", "LabelMap"]
        .concat(["labeldrop", "LabelDrop", "labelkeep", "LabelKeep", "lowercase", "Lowercase", "uppercase"])
        .concat(["Uppercase", "keepequal", "KeepEqual", "dropequal", "DropEqual"]),
    },
    modulus: { type: "integer" },
    regex: { type: "string" },
    replacement: { type: "string" },
    separator: { type: "string" },
    sourceLabels: { type: "array", items: { type: "string", pattern: "^[a-zA-Z_][a-zA-Z0-9_]*$" } },
    targetLabel: { type: "string" },
  },
};

export const serviceMonitorSchema = {
  type: "object",
  required: ["apiVersion", "kind", "metadata", "spec"],
  additionalProperties: false,
  properties: {
    apiVersion: { const: "monitoring.coreos.com/v1" },
    kind: { const: "ServiceMonitor" },
    metadata: objectMeta,
    spec: {
      type: "object",
      required: ["selector", "endpoints"],
      additionalProperties: false,
      properties: {
        selector: labelSelector,
        namespaceSelector: {
          type: "object",
          additionalProperties: false,
          properties: { any: { type: "boolean" }, matchNames: { type: "array", items: { type: "string" } } },
        },
        jobLabel: { type: "string" },
        targetLabels: { type: "array", items: { type: "string" } },
        podTargetLabels: { type: "array", items: { type: "string" } },
        sampleLimit: { type: "integer", minimum: 0 },
        endpoints: {
          type: "array",
          minItems: 1,
          items: {
            type: "object",
            additionalProperties: false,
            properties: {
              port: { type: "string" },
              targetPort: { anyOf: [{ type: "string" }, { type: "integer" }] },
              path: { type: "string", pattern: "^/" },
              scheme: { enum: ["http", "https"] },
              interval: duration,
              scrapeTimeout: duration,
              honorLabels: { type: "boolean" },
              relabelings: { type: "array", items: relabelConfig },
              metricRelabelings: { type: "array", items: relabelConfig },
              basicAuth: { type: "object" },
              tlsConfig: { type: "object" },
            },
          },
        },
      },
    },
  },
};

export const prometheusRuleSchema = {
  type: "object",
  required: ["apiVersion", "kind", "metadata", "spec"],
  additionalProperties: false,
  properties: {
    apiVersion: { const: "monitoring.coreos.com/v1" },
    kind: { const: "PrometheusRule" },
    metadata: objectMeta,
    spec: {
      type: "object",
      required: ["groups"],
      additionalProperties: false,
      properties: {
        groups: {
          type: "array",
          items: {
            type: "object",
            required: ["name", "rules"],
            additionalProperties: false,
            properties: {
              name: { type: "string", minLength: 1 },
              interval: duration,
              limit: { type: "integer" },
              rules: {
                type: "array",
                items: {
                  type: "object",
                  required: ["expr"],
                  additionalProperties: false,
                  oneOf: [{ required: ["alert"] }, { required: ["record"] }],
                  properties: {
                    alert: { type: "string", pattern: "^[a-zA-Z_][a-zA-Z0-9_]*$" },
                    record: { type: "string", pattern: "^[a-zA-Z_:][a-zA-Z0-9_:]*$" },
                    expr: { anyOf: [{ type: "string", minLength: 1 }, { type: "integer" }] },
                    for: duration,
                    keep_firing_for: duration,
                    labels: labelMap,
                    annotations: labelMap,
                  },
                },
              },
            },
          },
        },
      },
    },
  },
};
