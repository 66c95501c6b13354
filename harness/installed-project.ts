/**
 * A Pulumi project laid out as a user's: outside the repository, with a copy of the files this
 * package ships under its `node_modules`, as `npm install` leaves them. Outside, because inside the
 * repository Node resolves `pulumi-zoho-watch` to the repository itself (a package may require
 * itself by name), whatever node_modules holds.
 *
 * `@pulumi/pulumi` is either a copy installed beside the package (a plain npm layout: it resolves
 * the package, so the serialized provider can be a bare require) or a link to the repository's
 * (a layout where it cannot see the package, as under pnpm or a workspace: the self-contained
 * form). The other dependencies link to the repository's.
 */
import { execFile } from "node:child_process";
import { cp, mkdir, mkdtemp, readdir, rm, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { repoRoot } from "./pulumi-stack";

/** A program copied into a temporary project; see the module comment. */
export class InstalledProject {
  private constructor(readonly dir: string) {}

  /**
   * Copies `program` (relative to the repository or absolute) and installs the package beside it:
   * this build, or `options.release`, a packed release (a tarball, e.g. test/fixtures'), unpacked
   * as npm would, with this repository's dependencies.
   */
  static async create(program: string, options: { release?: string } = {}): Promise<InstalledProject> {
    const dir = await mkdtemp(path.join(tmpdir(), "zoho-watch-project-"));
    await cp(path.resolve(repoRoot, program), dir, { recursive: true });
    const modules = path.join(dir, "node_modules");
    await mkdir(path.join(modules, "@pulumi"), { recursive: true });
    for (const entry of await readdir(path.join(repoRoot, "node_modules"))) {
      if (entry === "pulumi-zoho-watch" || entry === "@pulumi" || entry.startsWith(".")) continue;
      await symlink(path.join(repoRoot, "node_modules", entry), path.join(modules, entry), "dir");
    }
    await symlink(
      path.join(repoRoot, "node_modules", "@pulumi", "policy"),
      path.join(modules, "@pulumi", "policy"),
      "dir",
    );
    const pkg = path.join(modules, "pulumi-zoho-watch");
    await (options.release === undefined ? copyBuild(pkg) : unpackRelease(options.release, pkg));
    const project = new InstalledProject(dir);
    await project.useOwnPulumi();
    return project;
  }

  private get pulumiDir(): string {
    return path.join(this.dir, "node_modules", "@pulumi", "pulumi");
  }

  /** `@pulumi/pulumi` installed beside the package, as npm does: it resolves the package. */
  async useOwnPulumi(): Promise<void> {
    await rm(this.pulumiDir, { recursive: true, force: true });
    await cp(path.join(repoRoot, "node_modules", "@pulumi", "pulumi"), this.pulumiDir, {
      recursive: true,
      verbatimSymlinks: true,
    });
  }

  /** `@pulumi/pulumi` from elsewhere, where it cannot see the package (pnpm, workspaces). */
  async useForeignPulumi(): Promise<void> {
    await rm(this.pulumiDir, { recursive: true, force: true });
    await symlink(path.join(repoRoot, "node_modules", "@pulumi", "pulumi"), this.pulumiDir, "dir");
  }

  dispose(): Promise<void> {
    return rm(this.dir, { recursive: true, force: true });
  }
}

/** This build, as the package ships it, into `pkg` (the package's folder under node_modules). */
async function copyBuild(pkg: string): Promise<void> {
  await mkdir(path.join(pkg, "dist"), { recursive: true });
  await cp(path.join(repoRoot, "package.json"), path.join(pkg, "package.json"));
  // What the package ships of dist/provider (package.json "files"): no source maps. With them the
  // SDK would map every resource's stack trace through them, a cost users' programs do not pay.
  await cp(path.join(repoRoot, "dist", "provider"), path.join(pkg, "dist", "provider"), {
    recursive: true,
    filter: (src) => !src.endsWith(".js.map"),
  });
  // The provider plugin and its TypeScript SDK (`pulumi-zoho-watch/plugin`), as shipped.
  await cp(path.join(repoRoot, "dist", "plugin"), path.join(pkg, "dist", "plugin"), { recursive: true });
  await cp(path.join(repoRoot, "dist", "sdk"), path.join(pkg, "dist", "sdk"), { recursive: true });
}

/** A packed release (an npm tarball, whose files sit under `package/`) unpacked into `pkg`. */
async function unpackRelease(tarball: string, pkg: string): Promise<void> {
  await mkdir(pkg, { recursive: true });
  await promisify(execFile)("tar", [
    "-xzf",
    path.resolve(repoRoot, tarball),
    "-C",
    pkg,
    "--strip-components=1",
  ]);
}
