import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

/** One import (or re-export, dynamic import, require) of a source file. */
export interface ImportEdge {
  /** The importing file, relative to the project root, with forward slashes. */
  from: string;
  /** The specifier as written. */
  specifier: string;
  /** The imported file relative to the project root (relative specifiers), or the package name. */
  target: string;
  /** `import type` / `export type`: erased at run time. */
  typeOnly: boolean;
}

export interface SourceFile {
  path: string;
  text: string;
}

/** Every `*.ts` file under `dir`, read from disk. */
export function readSources(root: string, dir: string): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (d: string): void => {
    for (const entry of fs.readdirSync(d, { withFileTypes: true })) {
      const full = path.join(d, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".ts")) {
        out.push({
          path: path.relative(root, full).split(path.sep).join("/"),
          text: fs.readFileSync(full, "utf8"),
        });
      }
    }
  };
  walk(path.join(root, dir));
  return out;
}

const packageName = (specifier: string): string => {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
};

/** The imports of one file, parsed with the TypeScript compiler (comments and strings are not imports). */
export function importsOf(file: SourceFile): ImportEdge[] {
  const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.ES2022, false);
  const edges: ImportEdge[] = [];
  const add = (specifier: string, typeOnly: boolean): void => {
    const target = specifier.startsWith(".")
      ? path.posix.normalize(path.posix.join(path.posix.dirname(file.path), specifier))
      : packageName(specifier);
    edges.push({ from: file.path, specifier, target, typeOnly });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const typeOnly =
        !!clause &&
        (clause.isTypeOnly ||
          (!clause.name &&
            !!clause.namedBindings &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      add(node.moduleSpecifier.text, typeOnly);
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      add(node.moduleSpecifier.text, node.isTypeOnly);
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === "require")) &&
      node.arguments.length === 1 &&
      ts.isStringLiteralLike(node.arguments[0]!)
    ) {
      add((node.arguments[0] as ts.StringLiteralLike).text, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

/** Whether the file reads `process.env` (as code, not in a comment or a string). */
export function readsProcessEnv(file: SourceFile): boolean {
  const source = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.ES2022, false);
  let found = false;
  const visit = (node: ts.Node): void => {
    if (
      ts.isPropertyAccessExpression(node) &&
      node.name.text === "env" &&
      ts.isIdentifier(node.expression) &&
      node.expression.text === "process"
    ) {
      found = true;
    }
    if (!found) ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}
