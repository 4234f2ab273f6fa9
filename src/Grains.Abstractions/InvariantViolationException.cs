namespace Payments.Actors;

/// <summary>A money invariant did not hold; nothing of the operation was written.</summary>
public sealed class InvariantViolationException(string message) : Exception(message);
