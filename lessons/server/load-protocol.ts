/**
 * Loads a student's Protocol for `tutorial.ts --protocol <module>`: the module's default
 * export, or else its one exported Protocol, either a class extending `Protocol` (lessons/twisted/protocol.ts)
 * (one instance per session) or a factory with `buildProtocol()` (Twisted's Factory: one
 * object that every session's protocol can share).
 *
 * @example
 * ```ts
 * import { loadProtocol } from "./load-protocol.ts";
 * const { name, makeProtocol } = await loadProtocol("lessons/protocols/upper-echo.ts");
 * ```
 * @module
 */
import type { Protocol } from "../twisted/protocol.ts";
import { importModule } from "./import-module.ts";
import { UserError } from "./user-error.ts";

export interface LoadedProtocol {
  /** What the module exported, for the start-up message. */
  name: string;
  makeProtocol: () => Protocol;
}

const HOW = "export a class that extends Protocol (import { Protocol } from \"<this repository>/lessons/twisted/protocol.ts\"), " +
  "e.g. `export default class MyProtocol extends Protocol { ... }`";

/** Imports `path` and finds its Protocol; every problem is a one-line {@link UserError}. */
export async function loadProtocol(path: string): Promise<LoadedProtocol> {
  const module = await importModule("--protocol", path);
  const found = Object.entries(module)
    .map(([name, value]) => toProtocol(name === "default" ? "default export" : name, value))
    .filter((each): each is LoadedProtocol => each !== undefined);
  const chosen = found.find((each) => each.name.startsWith("default")) ?? (found.length === 1 ? found[0] : undefined);
  if (chosen) return chosen;
  if (found.length > 1) {
    throw new UserError(`--protocol ${path}: exports several Protocols (${found.map((each) => each.name).join(", ")}); make one the default export`);
  }
  throw new UserError(`--protocol ${path}: exports no Protocol; ${HOW}`);
}

/**
 * A Protocol class, or a factory with buildProtocol(), as a way to make protocols. A class
 * counts when it has Protocol's makeConnection: a module outside this package may be loaded
 * as CommonJS, with its own copy of protocol.ts, so `instanceof Protocol` would say no.
 */
function toProtocol(name: string, value: unknown): LoadedProtocol | undefined {
  const prototype = (value as { prototype?: Partial<Protocol> } | null)?.prototype;
  if (typeof value === "function" && typeof prototype?.makeConnection === "function") {
    const Class = value as new () => Protocol;
    return { name: `${name} (class ${Class.name})`, makeProtocol: () => new Class() };
  }
  const factory = value as { buildProtocol?: unknown } | null;
  if (typeof factory === "object" && factory !== null && typeof factory.buildProtocol === "function") {
    const build = factory.buildProtocol as () => Protocol;
    return { name: `${name} (a factory)`, makeProtocol: () => build.call(factory) };
  }
  return undefined;
}
