namespace Payments.Actors.PspSimulator.Simulation;

/// <summary>The outcome for a card and whether the answer is held back by the provider's slow-card delay.</summary>
internal readonly record struct CardDecision(CardOutcome Outcome, bool Slow);
