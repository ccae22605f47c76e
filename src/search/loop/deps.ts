/**
 * The two heavy steps the loop calls, behind one seam: fitting a form (src/fit/form) and the Shapley
 * refit game (src/ablate). The real ones are the default; a caller may pass others (e.g. instrumented).
 */
import { attributeForm } from "../../ablate/attribute.ts";
import { fitForm } from "../../fit/form/fit-form.ts";

export interface SearchDeps {
  readonly fitForm: typeof fitForm;
  readonly attributeForm: typeof attributeForm;
}

export const DEFAULT_DEPS: SearchDeps = { fitForm, attributeForm };
