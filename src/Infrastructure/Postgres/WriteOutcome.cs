namespace Payments.Actors.Infrastructure.Postgres;

public enum WriteOutcome
{
    /// <summary>Every statement of the unit did what it expected, and the transaction committed.</summary>
    Committed,
    /// <summary>A statement affected no row where it had to (stale version, key already taken): nothing of the unit was written.</summary>
    Conflict,
}
