/**
 * What each per-type normaliser returns: the match key and the facts learnt while normalising. The
 * dispatcher adds `type` and `displayValue`, so the per-type modules stay independent of each other.
 */
export interface SelectorValue {
  /** Canonical form used as the match key: two selectors are the same entity iff type and value are equal. */
  value: string;
  /** Derived facts (ranges, networks, suffixes...) worth storing next to the selector. */
  attributes: Record<string, unknown>;
}
