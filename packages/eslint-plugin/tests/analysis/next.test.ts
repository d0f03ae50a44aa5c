import type { TSESTree } from "@typescript-eslint/utils";
import { describe, expect, it } from "vitest";
import { ENDPOINT_NODES, endpointOf, type Endpoint } from "../../src/analysis/frameworks/endpoint.js";
import { nextFileRole } from "../../src/analysis/frameworks/next.js";
import { lintWithProbe } from "../probe.js";

/** What a rule sees of each Next.js endpoint in the file, by the line of the node that declares it. */
interface Seen {
  line: number;
  label: string;
  path: string | null;
  kind: Endpoint["kind"];
  handler: boolean;
  access: Endpoint["guards"]["access"];
  guardsWhy: string;
  validation: Endpoint["inputs"]["validation"];
  hot: string | null;
}

/** Lints `code` as the file `file` with a probe rule that asks `endpointOf` on every node that may declare an endpoint. */
function probe(file: string, code: string): Seen[] {
  const seen: Seen[] = [];
  lintWithProbe(code, file, (context) => ({
    [ENDPOINT_NODES](node: TSESTree.Node) {
      const endpoint = endpointOf(context, node);
      if (!endpoint || endpoint.framework !== "next") return;
      const hot = endpoint.hotness("default");
      seen.push({
        line: node.loc.start.line,
        label: endpoint.label,
        path: endpoint.path,
        kind: endpoint.kind,
        handler: endpoint.handler !== null,
        access: endpoint.guards.access,
        guardsWhy: endpoint.guards.why,
        validation: endpoint.inputs.validation,
        hot: hot.hot ? hot.reason : null,
      });
    },
  }));
  return seen;
}

describe("Next.js file roles", () => {
  it("derives a route handler's URL from its folder", () => {
    expect(nextFileRole("/repo/app/api/users/[id]/route.ts")).toEqual({ kind: "route", path: "/api/users/[id]" });
    expect(nextFileRole("/repo/src/app/api/health/route.js")).toEqual({ kind: "route", path: "/api/health" });
    expect(nextFileRole("/repo/apps/web/app/(marketing)/feed/route.tsx")).toEqual({ kind: "route", path: "/feed" });
    expect(nextFileRole("/repo/app/@modal/(.)photos/[...slug]/route.ts")).toEqual({ kind: "route", path: "/photos/[...slug]" });
    expect(nextFileRole("/repo/app/route.ts")).toEqual({ kind: "route", path: "/" });
  });

  it("prefers the `src/app` folder in a package that is itself called `app`", () => {
    expect(nextFileRole("/repo/packages/app/src/app/api/items/route.ts")).toEqual({ kind: "route", path: "/api/items" });
  });

  it("derives an API route's URL from its file, `index` standing for its folder", () => {
    expect(nextFileRole("/repo/pages/api/teams/[teamId]/index.ts")).toEqual({ kind: "api", path: "/api/teams/[teamId]" });
    expect(nextFileRole("/repo/src/pages/api/links/create.ts")).toEqual({ kind: "api", path: "/api/links/create" });
  });

  it("leaves out files Next does not route", () => {
    expect(nextFileRole("/repo/app/_lib/route.ts")).toBeNull();
    expect(nextFileRole("/repo/app/api/users/handlers.ts")).toBeNull();
    expect(nextFileRole("/repo/lib/route.ts")).toBeNull();
    expect(nextFileRole("/repo/pages/settings.tsx")).toBeNull();
    expect(nextFileRole("/repo/pages/api/types.d.ts")).toBeNull();
    expect(nextFileRole("/repo/node_modules/pkg/app/api/route.js")).toBeNull();
  });
});

describe("Next.js route handlers", () => {
  it("recognises exported method functions, consts and specifiers, with the method's kind", () => {
    const seen = probe(
      "src/app/(shop)/api/orders/[orderId]/route.ts",
      `import { db } from "@/db";
export async function GET(request: Request, { params }: { params: { orderId: string } }) {
  return Response.json(await db.order.findUnique({ where: { id: params.orderId } }));
}
export const DELETE = async () => new Response(null, { status: 204 });
async function update() { return new Response(); }
export { update as PATCH };
export const revalidate = 60;
export function helper() {}
`,
    );
    expect(seen).toEqual([
      expect.objectContaining({ line: 2, label: "GET /api/orders/[orderId]", path: "/api/orders/[orderId]", kind: "read", handler: true, access: "public" }),
      expect.objectContaining({ line: 5, label: "DELETE /api/orders/[orderId]", kind: "write", handler: true }),
      expect.objectContaining({ line: 7, label: "PATCH /api/orders/[orderId]", kind: "write", handler: true }),
    ]);
    expect(seen[0]!.hot).toBe("a GET route handler with no auth check");
  });

  it("counts a handler that returns early without a session as protected, and so not hot", () => {
    const [get] = probe(
      "app/api/projects/route.ts",
      `import { auth } from "@/auth";
import { prisma } from "@/db";
export async function GET() {
  const session = await auth();
  if (!session?.user) return new Response("Unauthorized", { status: 401 });
  return Response.json(await prisma.project.findMany({ where: { ownerId: session.user.id } }));
}
`,
    );
    expect(get).toEqual(expect.objectContaining({ access: "protected", hot: null }));
  });

  it("finds the session check inside a `try` around the body, and after a guard on the method", () => {
    const seen = probe(
      "pages/api/reports/[teamId].ts",
      `import { getServerSession } from "next-auth";
import { db } from "@/db";
export default async function handler(req, res) {
  if (req.method !== "GET") {
    res.setHeader("Allow", ["GET"]);
    return res.status(405).end();
  }
  try {
    const session = await getServerSession(req, res, options);
    if (!session) return res.status(401).end();
    res.json(await db.report.findMany({ where: { teamId: req.query.teamId } }));
  } catch (error) {
    res.status(500).end();
  }
}
`,
    );
    expect(seen).toEqual([expect.objectContaining({ kind: "read", access: "protected", hot: null })]);
  });

  it("finds the session check in the branch of the method, and after awaiting the route's params", () => {
    const seen = probe(
      "pages/api/teams/[teamId]/members.ts",
      `import { db } from "@/db";
import { getSession } from "@/auth";
export default async function handler(req, res) {
  if (req.method === "GET") {
    const session = await getSession(req);
    if (!session) return res.status(401).end();
    return res.json(await db.member.findMany({ where: { teamId: req.query.teamId } }));
  }
  res.status(405).end();
}
`,
    );
    const [get] = probe(
      "app/api/teams/[teamId]/route.ts",
      `import { db } from "@/db";
import { getCurrentUser } from "@/auth";
export async function GET(request: Request, { params }: { params: Promise<{ teamId: string }> }) {
  const { teamId } = await params;
  const user = await getCurrentUser();
  if (!user) return new Response(null, { status: 401 });
  return Response.json(await db.team.findUnique({ where: { id: teamId } }));
}
`,
    );
    expect(seen).toEqual([expect.objectContaining({ label: "GET /api/teams/[teamId]/members", kind: "read", access: "protected" })]);
    expect(get).toEqual(expect.objectContaining({ access: "protected" }));
  });

  it("follows a member of the session into a local before the check", () => {
    const [get] = probe(
      "app/api/invoices/route.ts",
      `import { db } from "@/db";
import { getServerSession } from "next-auth";
export async function GET() {
  const session = await getServerSession(options);
  const member = session?.user as { id: string } | undefined;
  if (!member?.id) return new Response(null, { status: 401 });
  return Response.json(await db.invoice.findMany({ where: { ownerId: member.id } }));
}
`,
    );
    expect(get).toEqual(expect.objectContaining({ access: "protected" }));
  });

  it("counts a comparison with a secret from the environment as turning anonymous callers away", () => {
    const [get] = probe(
      "app/api/digest/route.ts",
      `import { db } from "@/db";
export async function GET(request: Request) {
  if (request.headers.get("authorization") !== \`Bearer \${process.env.DIGEST_TOKEN}\`) return new Response(null, { status: 401 });
  return Response.json(await db.digest.findMany());
}
`,
    );
    expect(get).toEqual(expect.objectContaining({ access: "protected", hot: null }));
  });

  it("stops at a guard that awaits work before any session check", () => {
    const [get] = probe(
      "app/api/boards/route.ts",
      `import { db } from "@/db";
import { auth } from "@/auth";
export async function GET() {
  if (!(await db.flag.findFirst())) return new Response(null, { status: 404 });
  const session = await auth();
  if (!session) return new Response(null, { status: 401 });
  return Response.json(await db.board.findMany());
}
`,
    );
    expect(get).toEqual(expect.objectContaining({ access: "public", hot: "a GET route handler with no auth check" }));
  });

  it("counts a wrapped handler as protected: the wrapper runs first and archlint does not read it", () => {
    const seen = probe(
      "app/api/me/route.ts",
      `import { withAuth, withLogging } from "@/lib/middleware";
export const GET = withAuth(async (req) => Response.json({ id: req.auth.userId }));
export const POST = withLogging(async (req) => Response.json(await req.json()));
`,
    );
    expect(seen).toEqual([
      expect.objectContaining({ line: 2, access: "protected", guardsWhy: "wrapped in `withAuth(...)`", handler: true, hot: null }),
      expect.objectContaining({
        line: 3,
        access: "protected",
        guardsWhy: "wrapped in `withLogging(...)`, which archlint does not read: it may check the caller",
        validation: "unvalidated",
      }),
    ]);
  });

  it("names each method of a destructured handler object", () => {
    const seen = probe(
      "app/api/auth/[...nextauth]/route.ts",
      `import { handlers } from "@/auth";
export const { GET, POST } = handlers;
`,
    );
    expect(seen.map((s) => s.label)).toEqual(["GET /api/auth/[...nextauth]", "POST /api/auth/[...nextauth]"]);
    expect(seen.every((s) => !s.handler)).toBe(true);
  });

  it("sees a schema parse as validation", () => {
    const [post] = probe(
      "app/api/items/route.ts",
      `import { z } from "zod";
const Item = z.object({ name: z.string() });
export async function POST(req: Request) {
  const item = Item.parse(await req.json());
  return Response.json(item);
}
`,
    );
    expect(post).toEqual(expect.objectContaining({ validation: "validated", kind: "write" }));
  });

  it("leaves a `GET` export outside a route file alone", () => {
    expect(probe("app/api/items/handlers.ts", `export async function GET() { return new Response(); }\n`)).toEqual([]);
    expect(probe("src/lib/http.ts", `export const GET = async () => new Response();\n`)).toEqual([]);
  });

  it("skips probes and callbacks when deciding hotness, as for other frameworks", () => {
    const [get] = probe("app/api/health/route.ts", `export async function GET() { return Response.json({ ok: true }); }\n`);
    expect(get).toEqual(expect.objectContaining({ kind: "read", access: "public", hot: null }));
  });
});

describe("Next.js server actions", () => {
  it("takes every export of a `use server` module as a write anyone can call", () => {
    const seen = probe(
      "src/app/settings/actions.ts",
      `"use server";
import { db } from "@/db";
export async function renameTeam(teamId: string, name: string) {
  await db.team.update({ where: { id: teamId }, data: { name } });
}
export const archiveTeam = async (teamId: string) => db.team.delete({ where: { id: teamId } });
export type Result = { ok: boolean };
`,
    );
    expect(seen).toEqual([
      expect.objectContaining({
        line: 3,
        label: "action renameTeam (src/app/settings/actions.ts)",
        path: null,
        kind: "write",
        access: "public",
        validation: "unvalidated",
      }),
      expect.objectContaining({ line: 6, label: "action archiveTeam (src/app/settings/actions.ts)", kind: "write" }),
    ]);
    expect(seen[0]!.hot).toBeNull();
  });

  it("reads a next-safe-action chain: its schema validates, its client wraps", () => {
    const [action] = probe(
      "app/actions/profile.ts",
      `'use server';
import { z } from "zod";
import { authActionClient } from "@/lib/safe-action";
export const saveProfile = authActionClient
  .inputSchema(z.object({ bio: z.string().max(200) }))
  .action(async ({ parsedInput, ctx }) => ctx.db.profile.update({ where: { userId: ctx.userId }, data: parsedInput }));
`,
    );
    expect(action).toEqual(
      expect.objectContaining({ handler: true, access: "protected", guardsWhy: "wrapped in `authActionClient.action(...)`", validation: "validated" }),
    );
  });

  it("recognises a function with its own `use server` directive, wherever it is", () => {
    const seen = probe(
      "app/posts/page.tsx",
      `import { db } from "@/db";
export default function Page() {
  async function publish(formData: FormData) {
    "use server";
    await db.post.create({ data: { title: String(formData.get("title")) } });
  }
  return <form action={publish} />;
}
`,
    );
    expect(seen).toEqual([expect.objectContaining({ line: 3, label: "action publish (app/posts/page.tsx)", kind: "write", handler: true })]);
  });

  it("ignores a `use server` string that is not a directive", () => {
    const late = `import { db } from "@/db";
"use server";
export async function wipe() { await db.log.deleteMany(); }
`;
    const inBody = `export async function describe() {
  const note = "plain";
  "use server";
  return note;
}
export function label() { return "use server"; }
`;
    expect(probe("app/actions.ts", late)).toEqual([]);
    expect(probe("lib/strings.ts", inBody)).toEqual([]);
  });
});

describe("Next.js Pages Router API routes", () => {
  it("takes the default export, with the method its handler narrows to", () => {
    const [route] = probe(
      "pages/api/links/[id].ts",
      `import type { NextApiRequest, NextApiResponse } from "next";
export default async function handler(req: NextApiRequest, res: NextApiResponse) {
  if (req.method !== "GET") return res.status(405).end();
  res.json({ id: req.query.id });
}
`,
    );
    expect(route).toEqual(
      expect.objectContaining({ line: 2, label: "GET /api/links/[id]", path: "/api/links/[id]", kind: "read", hot: "a GET API route with no auth check" }),
    );
  });

  it("leaves the method unknown when the handler serves several", () => {
    const [route] = probe(
      "src/pages/api/teams/index.ts",
      `const handler = async (req, res) => {
  switch (req.method) {
    case "GET": return res.json([]);
    case "POST": return res.status(201).end();
  }
};
export default handler;
`,
    );
    expect(route).toEqual(expect.objectContaining({ line: 7, label: "GET|POST /api/teams", kind: "unknown", hot: null }));
  });

  it("has no method when the handler never looks at it", () => {
    const [route] = probe("pages/api/ping.ts", `export default function handler(req, res) { res.end("pong"); }\n`);
    expect(route).toEqual(expect.objectContaining({ label: "API /api/ping", kind: "unknown" }));
  });
});
