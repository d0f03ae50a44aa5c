// Deterministic generator of a large, realistic PostgreSQL Prisma schema for
// the schema benchmark, together with its ground truth: the relations whose
// foreign-key fields are not covered by any index.
//
// A relation with FK fields F is covered when some @id, @@id, @unique,
// @@unique or @@index has F as its leading fields, in order. So
// @@index([a, b, createdAt]) covers fields [a, b]; @@index([b, a]) and
// @@index([a]) do not. This is the same rule Prisma uses for its
// relationMode = "prisma" index warning (see verify.mjs).
//
// Usage:
//   import { generate, generateSchema } from './generate.mjs';
//   const { text, unindexed, relations, modelRanges, stats } = generate({ models: 300, seed: 1 });
//
// Every relation (and so every `unindexed` entry) carries `model`, `fields`
// (the FK fields, in order), `line`/`column` (1-based position of its
// `@relation(` attribute), `fieldLines` (line of each FK field), `kind`
// (simple | one-to-one | join | composite) and `variant` (how it is, or is
// not, covered by an index).
//
// From the shell: node bench/schema/generate.mjs [models] [seed] > schema.prisma

import { fileURLToPath } from "node:url";
import { prng } from "../lib/prng.mjs";

// ---------------------------------------------------------------- PRNG

function makeRng(seed) {
  // Mix the seed a little so that seeds 1, 2, 3 ... diverge immediately.
  const next = prng(Math.imul((seed >>> 0) ^ 0x9e3779b9, 0x85ebca6b));
  const rng = {
    float: next,
    /** integer in [min, max] inclusive */
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (arr) => arr[Math.floor(next() * arr.length)],
    /** pick by weight: [[value, weight], ...] */
    weighted: (pairs) => {
      const total = pairs.reduce((s, [, w]) => s + w, 0);
      let r = next() * total;
      for (const [v, w] of pairs) {
        r -= w;
        if (r < 0) return v;
      }
      return pairs[pairs.length - 1][0];
    },
    shuffle: (arr) => {
      const a = arr.slice();
      for (let i = a.length - 1; i > 0; i--) {
        const j = Math.floor(next() * (i + 1));
        [a[i], a[j]] = [a[j], a[i]];
      }
      return a;
    },
  };
  return rng;
}

// ---------------------------------------------------------------- vocabulary

const DOMAINS = [
  "Account",
  "Billing",
  "Catalog",
  "Inventory",
  "Shipping",
  "Order",
  "Customer",
  "Support",
  "Marketing",
  "Analytics",
  "Auth",
  "Content",
  "Payment",
  "Vendor",
  "Warehouse",
  "Project",
  "Team",
  "Audit",
  "Notification",
  "Report",
  "Pricing",
  "Subscription",
  "Document",
  "Workflow",
];

const NOUNS = [
  "Profile",
  "Invoice",
  "Item",
  "Entry",
  "Record",
  "Rule",
  "Plan",
  "Address",
  "Contact",
  "Event",
  "Task",
  "Comment",
  "Attachment",
  "Tag",
  "Category",
  "Batch",
  "Schedule",
  "Template",
  "Setting",
  "Membership",
  "Token",
  "Session",
  "Log",
  "Snapshot",
  "Version",
  "Channel",
  "Message",
  "Ticket",
  "Campaign",
  "Segment",
  "Metric",
  "Lot",
  "Shipment",
  "Carrier",
  "Zone",
  "Discount",
  "Coupon",
  "Quote",
  "Contract",
  "Approval",
];

/** Scalar field pool: [name, type, extra attributes generator]. */
const SCALARS = [
  { name: "name", type: "String", vchar: true },
  { name: "title", type: "String", vchar: true },
  { name: "description", type: "String", optional: 0.8 },
  { name: "status", type: "String", def: '"active"' },
  { name: "email", type: "String", vchar: true },
  { name: "phone", type: "String", optional: 0.7, vchar: true },
  { name: "notes", type: "String", optional: 0.9 },
  { name: "externalRef", type: "String", optional: 0.6, vchar: true },
  { name: "locale", type: "String", def: '"en"' },
  { name: "currency", type: "String", def: '"EUR"' },
  { name: "quantity", type: "Int", def: "0" },
  { name: "position", type: "Int", def: "0" },
  { name: "priority", type: "Int", optional: 0.3 },
  { name: "retryCount", type: "Int", def: "0" },
  { name: "version", type: "Int", def: "1" },
  { name: "isActive", type: "Boolean", def: "true" },
  { name: "isArchived", type: "Boolean", def: "false" },
  { name: "isVerified", type: "Boolean", def: "false" },
  { name: "metadata", type: "Json", optional: 0.7 },
  { name: "settings", type: "Json", optional: 0.4 },
  { name: "payload", type: "Json" },
  { name: "amount", type: "Decimal", native: "@db.Decimal(12, 2)" },
  { name: "taxRate", type: "Decimal", optional: 0.5, native: "@db.Decimal(5, 4)" },
  { name: "unitPrice", type: "Decimal", native: "@db.Decimal(12, 2)" },
  { name: "publishedAt", type: "DateTime", optional: 1 },
  { name: "archivedAt", type: "DateTime", optional: 1 },
  { name: "expiresAt", type: "DateTime", optional: 0.8 },
  { name: "startsAt", type: "DateTime", def: "now()" },
  { name: "lastSeenAt", type: "DateTime", optional: 1 },
];

// ---------------------------------------------------------------- helpers

const lowerFirst = (s) => s[0].toLowerCase() + s.slice(1);
const upperFirst = (s) => s[0].toUpperCase() + s.slice(1);
const plural = (s) => {
  if (/[^aeiou]y$/.test(s)) return s.slice(0, -1) + "ies";
  if (/(s|x|ch|sh)$/.test(s)) return s + "es";
  return s + "s";
};
const snake = (s) => s.replace(/([a-z0-9])([A-Z])/g, "$1_$2").toLowerCase();

function modelNames(count, rng) {
  const combos = [];
  for (const d of DOMAINS) for (const n of NOUNS) combos.push(d + n);
  const shuffled = rng.shuffle(combos);
  const names = [];
  for (let i = 0; i < count; i++) {
    const base = shuffled[i % shuffled.length];
    const round = Math.floor(i / shuffled.length);
    names.push(round === 0 ? base : `${base}V${round + 1}`);
  }
  return names;
}

function range(from, to) {
  const out = [];
  for (let i = from; i < to; i++) out.push(i);
  return out;
}

function attrList(fields) {
  return `[${fields.join(", ")}]`;
}

// ---------------------------------------------------------------- generator

/**
 * @param {{ models?: number, seed?: number }} [options]
 * @returns {{
 *   text: string,
 *   unindexed: Array<{ model: string, fields: string[], relationField: string,
 *     relationName: string, target: string, line: number, column: number,
 *     fieldLines: number[], kind: string, variant: string }>,
 *   relations: Array<object>,
 *   modelRanges: Array<{ model: string, startLine: number, endLine: number }>,
 *   stats: object,
 * }}
 */
export function generate({ models: modelCount = 300, seed = 1 } = {}) {
  if (!Number.isInteger(modelCount) || modelCount < 1) {
    throw new Error(`models must be a positive integer, got ${modelCount}`);
  }
  const rng = makeRng(seed);
  const names = modelNames(modelCount, rng);

  /** @type {Array<any>} */
  const models = [];
  /** @type {Array<any>} */
  const relations = [];
  let relCounter = 0;

  const fieldNames = (m) => new Set(m.fields.map((f) => f.name));
  const addField = (m, f) => {
    if (fieldNames(m).has(f.name)) throw new Error(`duplicate field ${m.name}.${f.name}`);
    m.fields.push(f);
    return f;
  };
  const ensureScalar = (m, name, type, attrs = []) => {
    if (!fieldNames(m).has(name)) addField(m, { name, type, attrs, role: "scalar" });
  };

  // Roles are assigned up front with fixed quotas so that every seed gets the
  // same proportions: ~3% join tables (@@id over two FKs), 15% composite-key
  // targets (@@unique([workspaceKey, code])) and 10% of models holding one
  // composite foreign key to such a target.
  const joinSet = new Set(rng.shuffle(range(10, modelCount)).slice(0, Math.round(modelCount * 0.03)));
  const targetSet = new Set(rng.shuffle(range(1, modelCount).filter((i) => !joinSet.has(i))).slice(0, Math.round(modelCount * 0.15)));
  const firstTarget = Math.min(...targetSet);
  const compositeSourceSet = new Set(
    rng.shuffle(range(Math.max(3, firstTarget + 1), modelCount).filter((i) => !joinSet.has(i))).slice(0, Math.round(modelCount * 0.1)),
  );
  // Composite FK coverage, also by quota so each case is always present:
  // 35% right order, 25% wrong order (@@index([b, a])), 10% prefix only
  // (@@index([a])), 10% two single-column indexes (@@index([a]) and
  // @@index([b]), which do not cover [a, b] either), the rest no index at all.
  const nComposite = compositeSourceSet.size;
  const quota = [];
  let left = nComposite;
  for (const [variant, share] of [
    ["right-order", 0.35],
    ["wrong-order", 0.25],
    ["prefix-only", 0.1],
    ["separate-indexes", 0.1],
  ]) {
    const n = Math.min(left, Math.max(1, Math.round(nComposite * share)));
    quota.push(...Array(n).fill(variant));
    left -= n;
  }
  quota.push(...Array(left).fill("none"));
  const compositeVariants = rng.shuffle(quota);

  for (let i = 0; i < modelCount; i++) {
    const name = names[i];
    const isJoin = joinSet.has(i);
    const m = {
      name,
      index: i,
      isJoin,
      idType: isJoin ? null : rng.chance(0.2) ? "Int" : "String",
      compositeKey: null, // [a, b] for composite-key targets
      fields: [],
      blockAttrs: [], // { kind: 'id' | 'unique' | 'index', fields: string[] }
      map: rng.chance(0.25) ? snake(name) : null,
    };
    models.push(m);

    // id
    if (m.idType === "String") {
      addField(m, { name: "id", type: "String", attrs: ["@id", "@default(cuid())"], role: "id" });
    } else if (m.idType === "Int") {
      addField(m, { name: "id", type: "Int", attrs: ["@id", "@default(autoincrement())"], role: "id" });
    }

    // plain scalars: 5-12 in total including createdAt/updatedAt (and id)
    const scalarTarget = rng.int(5, 12);
    const pool = rng.shuffle(SCALARS);
    const fixed = 1 + 1 + (m.idType ? 1 : 0); // createdAt, updatedAt, id
    for (const s of pool.slice(0, Math.max(0, scalarTarget - fixed))) {
      const attrs = [];
      const optional = s.optional !== undefined && rng.chance(s.optional);
      if (s.def && !optional) attrs.push(`@default(${s.def})`);
      if (s.native) attrs.push(s.native);
      if (s.vchar && rng.chance(0.35)) attrs.push("@db.VarChar(255)");
      addField(m, { name: s.name, type: s.type, optional, attrs, role: "scalar" });
    }
    if (m.idType && rng.chance(0.15)) {
      // a natural unique key that is not an FK
      if (!fieldNames(m).has("slug")) addField(m, { name: "slug", type: "String", attrs: ["@unique"], role: "scalar" });
    }
    addField(m, { name: "createdAt", type: "DateTime", attrs: ["@default(now())"], role: "scalar" });
    if (rng.chance(0.9)) addField(m, { name: "updatedAt", type: "DateTime", attrs: ["@updatedAt"], role: "scalar" });

    // some (non-join) models are targets for composite foreign keys
    if (targetSet.has(i)) {
      m.compositeKey = ["workspaceKey", "code"];
      addField(m, { name: "workspaceKey", type: "String", attrs: [], role: "scalar" });
      addField(m, { name: "code", type: "String", attrs: [], role: "scalar" });
      m.blockAttrs.push({ kind: "unique", fields: ["workspaceKey", "code"] });
    }

    // ---------------------------------------------------------- relations
    if (i < 3) continue;
    const candidates = models.slice(0, i).filter((t) => !t.isJoin);
    const compositeTargets = candidates.filter((t) => t.compositeKey);
    const wantComposite = compositeSourceSet.has(i) && compositeTargets.length > 0;
    const relCount = isJoin ? 2 : rng.int(1, 3);

    const usedTargets = new Set();
    const pickTarget = (list) => {
      // bias towards recent models, like a real schema grows
      for (let tries = 0; tries < 20; tries++) {
        const t = rng.chance(0.5) ? list[Math.max(0, list.length - 1 - rng.int(0, 15))] : rng.pick(list);
        if (t && !usedTargets.has(t.name)) {
          usedTargets.add(t.name);
          return t;
        }
      }
      return null;
    };

    for (let r = 0; r < relCount; r++) {
      const composite = wantComposite && r === 0;
      const target = pickTarget(composite ? compositeTargets : candidates);
      if (!target) continue;
      relCounter += 1;
      const relationName = `Rel_${relCounter}`;
      const relField = lowerFirst(target.name);
      const optional = !isJoin && rng.chance(0.2);
      let rel;

      if (composite) {
        const fields = target.compositeKey.map((k) => relField + upperFirst(k));
        for (const f of fields) {
          addField(m, { name: f, type: "String", optional, attrs: [], role: "fk" });
        }
        const variant = compositeVariants.pop() ?? "none";
        const [a, b] = fields;
        if (variant === "right-order") {
          const shape = rng.weighted([
            ["exact", 2],
            ["with-createdAt", 1],
            ["unique-with-slug", 1],
          ]);
          if (shape === "exact") m.blockAttrs.push({ kind: "index", fields: [a, b] });
          else if (shape === "with-createdAt") m.blockAttrs.push({ kind: "index", fields: [a, b, "createdAt"] });
          else {
            ensureScalar(m, "slug", "String");
            m.blockAttrs.push({ kind: "unique", fields: [a, b, "slug"] });
          }
        } else if (variant === "wrong-order") {
          m.blockAttrs.push({ kind: "index", fields: [b, a] });
        } else if (variant === "prefix-only") {
          m.blockAttrs.push({ kind: "index", fields: [a] });
        } else if (variant === "separate-indexes") {
          m.blockAttrs.push({ kind: "index", fields: [a] }, { kind: "index", fields: [b] });
        }
        rel = {
          kind: "composite",
          variant,
          source: m.name,
          target: target.name,
          relationName,
          relationField: relField,
          fields,
          references: target.compositeKey.slice(),
          optional,
          oneToOne: false,
        };
      } else {
        const fk = `${relField}Id`;
        let variant;
        if (isJoin) {
          variant = r === 0 ? "join-id" : rng.chance(0.5) ? "index" : "none";
        } else {
          const covered = rng.chance(0.6);
          variant = covered
            ? rng.weighted([
                ["index", 45],
                ["index-with-createdAt", 25],
                ["unique-with-slug", 20],
                ["unique-field", 10],
              ])
            : rng.weighted([
                ["none", 75],
                ["non-leading", 25],
              ]);
        }
        const fkAttrs = variant === "unique-field" ? ["@unique"] : [];
        addField(m, { name: fk, type: target.idType, optional, attrs: fkAttrs, role: "fk" });
        switch (variant) {
          case "index":
            m.blockAttrs.push({ kind: "index", fields: [fk] });
            break;
          case "index-with-createdAt":
            m.blockAttrs.push({ kind: "index", fields: [fk, "createdAt"] });
            break;
          case "unique-with-slug":
            ensureScalar(m, "slug", "String");
            m.blockAttrs.push({ kind: "unique", fields: [fk, "slug"] });
            break;
          case "non-leading":
            m.blockAttrs.push({ kind: "index", fields: ["createdAt", fk] });
            break;
          default:
            break; // unique-field, join-id (handled below), none
        }
        rel = {
          kind: isJoin ? "join" : variant === "unique-field" ? "one-to-one" : "simple",
          variant,
          source: m.name,
          target: target.name,
          relationName,
          relationField: relField,
          fields: [fk],
          references: ["id"],
          optional,
          oneToOne: variant === "unique-field",
        };
      }

      addField(m, {
        name: relField,
        type: target.name,
        optional: rel.optional,
        attrs: [
          `@relation("${relationName}", fields: ${attrList(rel.fields)}, references: ${attrList(rel.references)}${
            rel.optional ? "" : rng.chance(0.3) ? ", onDelete: Cascade" : ""
          })`,
        ],
        role: "relation",
        rel,
      });
      // back-relation on the target
      const backName = rel.oneToOne ? lowerFirst(m.name) : plural(lowerFirst(m.name));
      addField(target, {
        name: backName,
        type: rel.oneToOne ? m.name : `${m.name}[]`,
        optional: rel.oneToOne,
        attrs: [`@relation("${relationName}")`],
        role: "back",
      });
      relations.push(rel);
    }

    if (isJoin) {
      const fks = relations.filter((r) => r.source === m.name).map((r) => r.fields[0]);
      if (fks.length === 2) {
        m.blockAttrs.unshift({ kind: "id", fields: fks });
      } else {
        // could not find two distinct targets: fall back to a plain id
        m.idType = "String";
        m.fields.unshift({ name: "id", type: "String", attrs: ["@id", "@default(cuid())"], role: "id" });
        m.isJoin = false;
      }
    }
  }

  // ---------------------------------------------------------- ground truth
  for (const rel of relations) {
    const m = models.find((x) => x.name === rel.source);
    rel.covered = isCovered(m, rel.fields);
  }

  // ---------------------------------------------------------- render
  const lines = [];
  lines.push(
    "// Generated by bench/schema/generate.mjs. Do not edit.",
    `// models=${modelCount} seed=${seed}`,
    "",
    "datasource db {",
    '  provider = "postgresql"',
    "}",
    "",
    "generator client {",
    '  provider = "prisma-client-js"',
    "}",
  );

  for (const m of models) {
    lines.push("");
    lines.push(`model ${m.name} {`);
    m.startLine = lines.length;
    const ordered = orderFields(m);
    const nameWidth = Math.max(...ordered.map((f) => f.name.length));
    const typeWidth = Math.max(...ordered.map((f) => typeText(f).length));
    for (const f of ordered) {
      const attrs = f.attrs.join(" ");
      const line = `  ${f.name.padEnd(nameWidth)} ${attrs ? typeText(f).padEnd(typeWidth) + " " + attrs : typeText(f)}`;
      lines.push(line);
      const lineNo = lines.length;
      if (f.role === "fk") f.line = lineNo;
      if (f.role === "relation") {
        f.rel.line = lineNo;
        f.rel.column = line.indexOf("@relation(") + 1;
      }
    }
    if (m.blockAttrs.length || m.map) lines.push("");
    for (const a of m.blockAttrs) lines.push(`  @@${a.kind}(${attrList(a.fields)})`);
    if (m.map) lines.push(`  @@map("${m.map}")`);
    lines.push("}");
    m.endLine = lines.length;
    m.fieldLine = new Map(m.fields.filter((f) => f.role === "fk").map((f) => [f.name, f.line]));
  }
  const text = lines.join("\n") + "\n";

  const byName = new Map(models.map((m) => [m.name, m]));
  const relationsOut = relations.map((rel) => ({
    model: rel.source,
    fields: rel.fields.slice(),
    relationField: rel.relationField,
    relationName: rel.relationName,
    target: rel.target,
    references: rel.references.slice(),
    line: rel.line,
    column: rel.column,
    fieldLines: rel.fields.map((f) => byName.get(rel.source).fieldLine.get(f)),
    kind: rel.kind,
    variant: rel.variant,
    covered: rel.covered,
  }));
  const unindexed = relationsOut.filter((r) => !r.covered);

  const count = (list, key) => list.reduce((acc, r) => ((acc[r[key]] = (acc[r[key]] ?? 0) + 1), acc), {});
  const stats = {
    models: models.length,
    lines: lines.length,
    bytes: Buffer.byteLength(text),
    relations: relations.length,
    compositeRelations: relations.filter((r) => r.kind === "composite").length,
    modelsWithCompositeFk: new Set(relations.filter((r) => r.kind === "composite").map((r) => r.source)).size,
    compositeTargets: models.filter((m) => m.compositeKey).length,
    joinModels: models.filter((m) => m.isJoin).length,
    covered: relations.filter((r) => r.covered).length,
    unindexed: unindexed.length,
    byKind: count(relationsOut, "kind"),
    byVariant: count(relationsOut, "variant"),
    unindexedByVariant: count(unindexed, "variant"),
  };

  const modelRanges = models.map((m) => ({ model: m.name, startLine: m.startLine, endLine: m.endLine }));

  return { text, unindexed, relations: relationsOut, modelRanges, stats };
}

/** @returns {string} the schema text only */
export function generateSchema(options = {}) {
  return generate(options).text;
}

// ---------------------------------------------------------------- internals

function typeText(f) {
  return f.type + (f.optional ? "?" : "");
}

/** All index-like field lists of a model: @id, @unique, @@id, @@unique, @@index. */
function indexLists(m) {
  const lists = [];
  for (const f of m.fields) {
    if (f.attrs.includes("@id") || f.attrs.includes("@unique")) lists.push([f.name]);
  }
  for (const a of m.blockAttrs) lists.push(a.fields);
  return lists;
}

function isCovered(m, fields) {
  return indexLists(m).some((list) => list.length >= fields.length && fields.every((f, i) => list[i] === f));
}

/** A plausible field order: id, scalars and FKs (each FK next to its relation), back-relations, timestamps. */
function orderFields(m) {
  const id = m.fields.filter((f) => f.role === "id");
  const timestamps = m.fields.filter((f) => f.name === "createdAt" || f.name === "updatedAt");
  const scalars = m.fields.filter((f) => f.role === "scalar" && !timestamps.includes(f));
  const rels = m.fields.filter((f) => f.role === "relation");
  const back = m.fields.filter((f) => f.role === "back");
  const fkGroups = rels.flatMap((r) => [...r.rel.fields.map((name) => m.fields.find((f) => f.name === name)), r]);
  return [...id, ...scalars, ...fkGroups, ...timestamps, ...back];
}

// ---------------------------------------------------------------- CLI

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const models = Number(process.argv[2] ?? 300);
  const seed = Number(process.argv[3] ?? 1);
  process.stdout.write(generate({ models, seed }).text);
}
