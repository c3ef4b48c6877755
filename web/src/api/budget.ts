/** What is left of a programme's cash budget (referral, lottery), in fen; never negative. */
export function remainingBudget(program: { budget: number; spent: number }): number {
  return Math.max(program.budget - program.spent, 0);
}
