import { writeFileSync } from "node:fs";
import { protocolDocument } from "../../protocol/document.ts";

writeFileSync(new URL("../../docs/protocol.md", import.meta.url), protocolDocument());
console.log("wrote docs/protocol.md");
