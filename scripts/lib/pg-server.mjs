// A throw-away PostgreSQL server on a loopback port, for `npm test` (the suites' second database)
// and `npm run bench:scale`. Uses Debian's packages (`apt-get install -y postgresql` when missing and
// running as root). Nothing here is for production: fsync is off and every local user is trusted.
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

function sh(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed (exit ${r.status ?? r.signal}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** The newest `/usr/lib/postgresql/<major>/bin`, installing Debian's postgresql package when root. */
export function postgresBinDir() {
  const find = () => {
    if (!existsSync("/usr/lib/postgresql")) return null;
    const majors = readdirSync("/usr/lib/postgresql").filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a));
    for (const m of majors) if (existsSync(`/usr/lib/postgresql/${m}/bin/initdb`)) return `/usr/lib/postgresql/${m}/bin`;
    return null;
  };
  let dir = find();
  if (dir) return dir;
  if (process.getuid?.() !== 0) {
    throw new Error("PostgreSQL is needed for this step: install Debian's packages (sudo apt-get install -y postgresql)");
  }
  console.log("› Installing Debian's PostgreSQL (apt-get install -y postgresql)");
  sh("apt-get", ["update", "-qq"], { stdio: "inherit" });
  sh("apt-get", ["install", "-y", "-qq", "postgresql"], { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
  dir = find();
  if (!dir) throw new Error("apt-get installed postgresql but no initdb was found under /usr/lib/postgresql");
  return dir;
}

/**
 * Start a fresh cluster on 127.0.0.1:`port` (0 = pick a free-looking one). PostgreSQL refuses to run
 * as root, so as root the cluster belongs to the `postgres` user Debian's package creates.
 * @returns {{ url: string, port: number, stop: () => void }} `url` is the superuser's URL of database `postgres`.
 */
export function startPostgres({ port = 0, maxConnections = 400 } = {}) {
  const bin = postgresBinDir();
  const p = port || 55000 + Math.floor(Math.random() * 5000);
  const dir = mkdtempSync(path.join(tmpdir(), "portal-pg-"));
  const data = path.join(dir, "data");
  mkdirSync(data);
  const asRoot = process.getuid?.() === 0;
  if (asRoot) sh("chown", ["-R", "postgres:postgres", dir]);
  const run = (exe, args) => (asRoot ? sh("runuser", ["-u", "postgres", "--", path.join(bin, exe), ...args]) : sh(path.join(bin, exe), args));
  run("initdb", ["-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"]);
  const opts = [
    `-p ${p}`, `-k ${dir}`, "-c listen_addresses=127.0.0.1", `-c max_connections=${maxConnections}`,
    "-c fsync=off", "-c synchronous_commit=off", "-c full_page_writes=off", "-c shared_buffers=256MB",
  ].join(" ");
  run("pg_ctl", ["-D", data, "-o", opts, "-l", path.join(dir, "server.log"), "-w", "-t", "60", "start"]);
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
    } catch {
      /* already gone */
    }
    rmSync(dir, { recursive: true, force: true });
  };
  return { url: `postgresql://postgres@127.0.0.1:${p}/postgres`, port: p, stop };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // `node scripts/lib/pg-server.mjs [port]`: start one for development and print its URL; Ctrl-C stops it.
  const server = startPostgres({ port: Number(process.argv[2] ?? 0) });
  console.log(server.url);
  for (const sig of ["SIGINT", "SIGTERM"]) process.on(sig, () => { server.stop(); process.exit(0); });
  setInterval(() => {}, 1 << 30);
}
