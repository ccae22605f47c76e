/** `kiln form export`: a form with fitted parameters as LaTeX, Python, Fortran, TypeScript or JSON. */
import type { Form } from "../form.ts";
import { exportContext } from "./common.ts";
import { exportFortran } from "./fortran.ts";
import { exportJson } from "./json.ts";
import { exportLatex } from "./latex.ts";
import { exportPython } from "./python.ts";
import { exportTypeScript } from "./typescript.ts";

export const EXPORT_TARGETS = ["latex", "python", "fortran", "typescript", "json"] as const;
export type ExportTarget = (typeof EXPORT_TARGETS)[number];

/** Usual file extension of each target. */
export const EXPORT_EXTENSIONS: Record<ExportTarget, string> = {
  latex: "tex",
  python: "py",
  fortran: "f90",
  typescript: "ts",
  json: "json",
};

export function exportForm(form: Form, params: ArrayLike<number>, target: ExportTarget): string {
  const ctx = exportContext(form, params);
  switch (target) {
    case "latex":
      return exportLatex(ctx);
    case "python":
      return exportPython(ctx);
    case "fortran":
      return exportFortran(ctx);
    case "typescript":
      return exportTypeScript(ctx);
    case "json":
      return exportJson(ctx);
  }
}

export { expandedSpec } from "./json.ts";
export { fortranModuleName } from "./fortran.ts";
export { latexBody } from "./latex.ts";
