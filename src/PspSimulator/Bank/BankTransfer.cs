using Payments.Actors.PspSimulator.Simulation;

namespace Payments.Actors.PspSimulator.Bank;

/// <summary>
/// A Bank transfer. A PENDING transfer reads as BOOKED once its pending time has passed; the change is
/// worked out when the transfer is read, so no timer runs per transfer.
/// </summary>
internal sealed class BankTransfer : ICharge
{
    private readonly string _state;
    private readonly DateTimeOffset _pendingUntil;

    public BankTransfer(
        string transferRef, string direction, long amountMinor, string currency, BankDecision decision, DateTimeOffset createdAt, TimeSpan pendingDuration)
    {
        Invariant.Assert(decision.Outcome != BankOutcome.ProcessingError, $"transfer {transferRef} was booked after a processing error");
        Id = "BT" + Guid.NewGuid().ToString("N").ToUpperInvariant();
        Reference = transferRef;
        Direction = direction;
        AmountMinor = amountMinor;
        Currency = currency;
        ReasonCode = decision.ReasonCode;
        CreatedAt = createdAt;
        _state = decision.Outcome switch
        {
            BankOutcome.Booked => BankCodes.Booked,
            BankOutcome.Pending => BankCodes.Pending,
            _ => BankCodes.Rejected,
        };
        _pendingUntil = createdAt + pendingDuration;
    }

    public string Id { get; }

    public string Reference { get; }

    public string Direction { get; }

    public long AmountMinor { get; }

    public string Currency { get; }

    public string? ReasonCode { get; }

    public DateTimeOffset CreatedAt { get; }

    public string StateAt(DateTimeOffset now) =>
        _state == BankCodes.Pending && now >= _pendingUntil ? BankCodes.Booked : _state;

    public BankTransferResponse ToResponse(DateTimeOffset now) => new(
        Id,
        Reference,
        Direction,
        StateAt(now),
        ReasonCode,
        new BankValue(BankAmounts.ToMajor(AmountMinor, BankAmounts.Exponent(Currency)), Currency));

    public ChargeSummary Summarize(DateTimeOffset now)
    {
        var state = StateAt(now);
        var booked = state == BankCodes.Booked ? AmountMinor : 0;
        return new ChargeSummary(Id, Reference, Direction, state, AmountMinor, Currency, booked, 0, ReasonCode, CreatedAt);
    }
}
