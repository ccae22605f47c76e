/**
 * Views of a ledger: a TSV like autoresearch's results.tsv (from the SQLite index), a table for people,
 * and a JSON analysis for programs and agents (incumbent, Pareto front, winner, Shapley, holdout, plateau).
 */
import { candidateFront, pickBest } from "../pareto.ts";
import type { CandidateEntry } from "../types.ts";
import type {
  AmendEntry,
  HoldoutEntry,
  LedgerEntry,
  PruneEntry,
  RunEndEntry,
  RunStartEntry,
  ShapleyEntry,
} from "./entries.ts";
import type { CandidateRow } from "./index-db.ts";

export const TSV_COLUMNS = [
  "id",
  "parent",
  "origin",
  "status",
  "val_overall",
  "val_bias",
  "val_rmse",
  "val_seasonal",
  "val_spatial",
  "val_iav",
  "train_overall",
  "n_params",
  "mechanisms",
  "hypothesis",
] as const;

const num = (x: number | null, d = 4): string => (x === null || x === undefined ? "" : x.toFixed(d));
const clean = (s: string | null): string => (s ?? "").replace(/[\t\r\n]+/g, " ").trim();

export function ledgerTsv(rows: readonly CandidateRow[]): string {
  const lines = [TSV_COLUMNS.join("\t")];
  for (const r of rows) {
    lines.push(
      [
        r.id,
        r.parent_id ?? "",
        r.origin,
        r.status,
        num(r.val_overall),
        num(r.val_bias),
        num(r.val_rmse),
        num(r.val_seasonal),
        num(r.val_spatial),
        num(r.val_iav),
        num(r.train_overall),
        String(r.n_params ?? ""),
        r.mechanisms ?? "",
        clean(
          r.repeat_of
            ? `repeat of ${r.repeat_of}: ${r.hypothesis ?? ""}`
            : r.error
              ? `crash: ${r.error}`
              : r.hypothesis,
        ),
      ].join("\t"),
    );
  }
  return lines.join("\n") + "\n";
}

/** Everything a program needs to reason about the run, derived from the entries. */
export interface LedgerAnalysis {
  kind: "kiln.ledger";
  name: string | null;
  frameHash: string | null;
  seed: number | null;
  split: RunStartEntry["split"] | null;
  amendments: AmendEntry[];
  candidates: {
    id: string;
    parent: string | null;
    origin: string;
    status: string;
    name: string;
    hash: string;
    nParams: number;
    mechanisms: readonly string[];
    validation: number | null;
    train: number | null;
    components: Record<string, number | null> | null;
    hypothesis: string;
    note?: string;
    error?: string;
    repeatOf?: string;
  }[];
  incumbent: string | null;
  pareto: { id: string; nParams: number; overall: number; score: number }[];
  /** PySR "best" over non-baseline candidates (the run-end's winner when the run finished). */
  winner: string | null;
  shapley: {
    candidateId: string;
    players: string[];
    phi: number[];
    share: (number | null)[];
    zero: boolean[];
  }[];
  pruning: { candidateId: string; dropped: string[]; reducedId: string | null; note: string }[];
  holdout: HoldoutEntry | null;
  end: RunEndEntry | null;
  /** No kept candidate among the last five proposed forms. */
  plateau: boolean;
  /** Mechanism sets tried (sorted ids), with the best validation Overall seen for each. */
  tried: { mechanisms: string[]; best: number | null; ids: string[] }[];
}

export function analyseLedger(entries: readonly LedgerEntry[]): LedgerAnalysis {
  const start = entries.find((e): e is RunStartEntry => e.kind === "run-start") ?? null;
  const cands = entries.filter((e): e is CandidateEntry => e.kind === "candidate");
  const history = cands.filter((c) => c.origin !== "truth");
  let incumbent: string | null = null;
  for (const c of history) if (c.status === "keep") incumbent = c.id;
  const front = candidateFront(history);
  const end = [...entries].reverse().find((e): e is RunEndEntry => e.kind === "run-end") ?? null;
  const searchFront = candidateFront(history.filter((c) => c.origin === "proposer" || c.origin === "pruned"));
  const proposed = history.filter((c) => c.origin === "proposer");
  const tried = new Map<string, { mechanisms: string[]; best: number | null; ids: string[] }>();
  for (const c of history) {
    if (c.origin === "baseline" || c.status === "crash" || c.repeatOf) continue;
    const ms = [...c.mechanisms].sort();
    const k = ms.join(",");
    const t = tried.get(k) ?? { mechanisms: ms, best: null, ids: [] };
    t.ids.push(c.id);
    const v = c.validation?.overall ?? null;
    if (v !== null && (t.best === null || v > t.best)) t.best = v;
    tried.set(k, t);
  }
  return {
    kind: "kiln.ledger",
    name: start?.name ?? null,
    frameHash: start?.frameHash ?? null,
    seed: start?.seed ?? null,
    split: start?.split ?? null,
    amendments: entries.filter((e): e is AmendEntry => e.kind === "amend"),
    candidates: cands.map((c) => {
      const v = c.validation;
      const head = v ? v.regions[v.region] : undefined;
      return {
        id: c.id,
        parent: c.parentId,
        origin: c.origin,
        status: c.status,
        name: c.name,
        hash: c.hash,
        nParams: c.nParams,
        mechanisms: c.mechanisms,
        validation: v?.overall ?? null,
        train: c.train?.overall ?? null,
        components: head
          ? {
              bias: head.bias,
              rmse: head.rmse,
              seasonal: head.seasonal,
              spatial: head.spatial,
              iav: head.iav,
            }
          : null,
        hypothesis: c.hypothesis,
        ...(c.note ? { note: c.note } : {}),
        ...(c.error ? { error: c.error } : {}),
        ...(c.repeatOf ? { repeatOf: c.repeatOf } : {}),
      };
    }),
    incumbent,
    pareto: front.map((p) => ({ id: p.item.id, nParams: p.complexity, overall: p.overall, score: p.score })),
    winner: end?.winnerId ?? pickBest(searchFront)?.item.id ?? null,
    shapley: entries
      .filter((e): e is ShapleyEntry => e.kind === "shapley")
      .map((s) => ({
        candidateId: s.candidateId,
        players: s.players,
        phi: s.validation.phi,
        share: s.validation.share,
        zero: s.validation.flags.indistinguishableFromZero,
      })),
    pruning: entries
      .filter((e): e is PruneEntry => e.kind === "prune")
      .map((p) => ({
        candidateId: p.candidateId,
        dropped: p.pruning.dropped,
        reducedId: p.reducedId,
        note: p.note,
      })),
    holdout: entries.find((e): e is HoldoutEntry => e.kind === "holdout") ?? null,
    end,
    plateau: proposed.length >= 5 && !proposed.slice(-5).some((c) => c.status === "keep"),
    tried: [...tried.values()],
  };
}

/** A table for people: one line per candidate, then the front, the winner, Shapley and the holdout. */
export function ledgerText(a: LedgerAnalysis, width = 120): string {
  const out: string[] = [];
  out.push(
    `run ${a.name ?? "?"} · frame ${a.frameHash?.slice(0, 12) ?? "?"} · seed ${a.seed ?? "?"}` +
      (a.split
        ? ` · train ${span(a.split.train)} · validation ${span(a.split.validation)} · holdout ${span(a.split.holdout)} (sealed${a.holdout ? `, opened ${a.holdout.time}` : ""})`
        : ""),
  );
  for (const m of a.amendments) out.push(`amended ${m.time}: ${m.reason} (changed ${m.changed.join(", ")})`);
  out.push("");
  const head = [
    "id",
    "parent",
    "origin",
    "status",
    "overall",
    "bias",
    "rmse",
    "seas",
    "spat",
    "np",
    "mechanisms / hypothesis",
  ];
  const w = [5, 6, 8, 7, 7, 6, 6, 6, 6, 3];
  out.push(head.map((h, i) => (i < w.length ? h.padEnd(w[i]) : h)).join(" "));
  for (const c of a.candidates) {
    const co = c.components;
    const cells = [
      c.id,
      c.parent ?? "",
      c.origin,
      c.status,
      fmt(c.validation, 4),
      fmt(co?.bias ?? null, 3),
      fmt(co?.rmse ?? null, 3),
      fmt(co?.seasonal ?? null, 3),
      fmt(co?.spatial ?? null, 3),
      String(c.nParams || ""),
    ].map((s, i) => s.padEnd(w[i]));
    const text = c.error
      ? `crash: ${c.error}`
      : c.repeatOf
        ? `repeat of ${c.repeatOf}`
        : `${c.mechanisms.join(",")} — ${c.hypothesis}`;
    const line = `${cells.join(" ")} ${clean(text)}`;
    out.push(line.length > width ? line.slice(0, width - 1) + "…" : line);
  }
  out.push("");
  if (a.pareto.length) {
    out.push(
      `Pareto front (validation Overall vs parameters): ${a.pareto.map((p) => `${p.id} ${p.overall.toFixed(4)}@${p.nParams}`).join(" · ")}`,
    );
  }
  out.push(
    `incumbent ${a.incumbent ?? "none"} · winner ${a.winner ?? "none"}${a.end ? ` · stopped: ${a.end.reason}` : " · (search not finished)"}${a.plateau ? " · plateau" : ""}`,
  );
  for (const s of a.shapley) {
    out.push(
      `Shapley ${s.candidateId}: ` +
        s.players
          .map((p, i) => `${p} ${s.phi[i] >= 0 ? "+" : ""}${s.phi[i].toFixed(4)}${s.zero[i] ? "~0" : ""}`)
          .join(", "),
    );
  }
  for (const p of a.pruning)
    out.push(`pruning ${p.candidateId}: ${p.note}${p.reducedId ? ` → ${p.reducedId}` : ""}`);
  if (a.holdout) {
    const h = a.holdout;
    out.push(
      `holdout ${span(h.years)} opened ${h.time}: ` +
        h.scores.map((s) => `${s.id} ${fmt(s.holdout?.overall ?? null, 4)}`).join(" · "),
    );
    if (h.win !== null)
      out.push(
        `win rule: ${h.win ? "PASS" : "FAIL"} (${h.verdicts
          .filter((v) => v.candidateId === h.winnerId)
          .map((v) => `${v.baselineName}: ${v.reason}`)
          .join("; ")})`,
      );
  }
  return out.join("\n") + "\n";
}

function fmt(x: number | null, d: number): string {
  return x === null ? "-" : x.toFixed(d);
}

function span(ys: readonly number[]): string {
  if (ys.length === 0) return "-";
  const contiguous = ys[ys.length - 1] - ys[0] + 1 === ys.length;
  return contiguous ? (ys.length === 1 ? String(ys[0]) : `${ys[0]}–${ys[ys.length - 1]}`) : ys.join(",");
}
