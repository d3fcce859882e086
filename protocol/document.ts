import { z } from "zod";
import { ROOM_PROTOCOLS, SHARED_ERROR_CODES } from "./index.ts";

/** A zod schema as a short type: `{ seat?: number }`, `string[]`, `"acceptTable" | …`. */
function describe(schema: z.ZodType): string {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as Record<string, unknown>;
  return typeOf(json);
}

function typeOf(node: Record<string, unknown>): string {
  if (node.const !== undefined) return JSON.stringify(node.const);
  if (Array.isArray(node.enum)) return node.enum.map((v) => JSON.stringify(v)).join(" | ");
  for (const key of ["anyOf", "oneOf"]) {
    if (Array.isArray(node[key])) return (node[key] as Record<string, unknown>[]).map(typeOf).join(" | ");
  }
  if (node.type === "array") {
    if (Array.isArray(node.prefixItems))
      return `[${(node.prefixItems as Record<string, unknown>[]).map(typeOf).join(", ")}]`;
    return `${typeOf((node.items ?? {}) as Record<string, unknown>)}[]`;
  }
  if (node.type === "object") {
    const properties = (node.properties ?? {}) as Record<string, Record<string, unknown>>;
    const required = new Set((node.required ?? []) as string[]);
    const fields = Object.entries(properties).map(([k, v]) => `${k}${required.has(k) ? "" : "?"}: ${typeOf(v)}`);
    if (fields.length === 0 && node.additionalProperties && typeof node.additionalProperties === "object") {
      return `{ [key: string]: ${typeOf(node.additionalProperties as Record<string, unknown>)} }`;
    }
    return fields.length === 0 ? "{}" : `{ ${fields.join("; ")} }`;
  }
  if (node.type === "integer") return "number";
  if (typeof node.type === "string") return node.type;
  return "unknown";
}

const cell = (text: string) => `\`${text.replace(/\|/g, "\\|")}\``;

/** docs/protocol.md, written from protocol/ (node src/cli/protocol-doc.ts); a test fails when the file is out of date. */
export function protocolDocument(): string {
  const lines: string[] = [
    "# The wire protocol",
    "",
    "Generated from `protocol/` by `node src/cli/protocol-doc.ts`; a test fails when this file and the schemas differ.",
    "Clients import `protocol/` (zod schemas and their TypeScript types; it imports nothing of the server).",
    "Every refused intent is answered with an `error` message `{ type, code, message }`; every other message a game",
    "room sends announces a change of state and arrives after the patch that carries it. Amounts are minor units,",
    "sent as strings of digits (or safe integers) and received as strings.",
    "",
    "## Codes every room may answer with",
    "",
    `Intents: ${SHARED_ERROR_CODES.room.map((code) => `\`${code}\``).join(", ")}.`,
    "",
    `Joining or creating a room (the matchmaking answer's message starts with the code): ${SHARED_ERROR_CODES.join.map((code) => `\`${code}\``).join(", ")}.`,
    "",
  ];
  for (const [room, protocol] of Object.entries(ROOM_PROTOCOLS)) {
    lines.push(`## \`${room}\``, "", "### Client messages", "", "| message | payload |", "| --- | --- |");
    for (const [name, schema] of Object.entries(protocol.clientMessages)) {
      lines.push(`| \`${name}\` | ${cell(describe(schema as z.ZodType))} |`);
    }
    lines.push("", "### Server messages", "", "| message | payload |", "| --- | --- |");
    for (const [name, schema] of Object.entries(protocol.serverMessages)) {
      lines.push(`| \`${name}\` | ${cell(describe(schema as z.ZodType))} |`);
    }
    lines.push("", "### State", "", "| field | type |", "| --- | --- |");
    const state = protocol.state as z.ZodObject;
    for (const [field, schema] of Object.entries(state.shape)) {
      lines.push(`| \`${field}\` | ${cell(describe(schema as z.ZodType))} |`);
    }
    lines.push("", "### Error codes", "", protocol.errorCodes.map((code) => `\`${code}\``).join(", "), "");
  }
  return `${lines.join("\n")}\n`;
}
