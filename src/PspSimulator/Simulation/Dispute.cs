namespace Payments.Actors.PspSimulator.Simulation;

/// <summary>A chargeback an operator opened on a captured charge (<c>POST /admin/disputes/{provider}</c>); closed once, won or lost.</summary>
internal sealed class Dispute(
    string id, string chargeId, string reference, long amountMinor, string currency, string reason, DateTimeOffset dueBy, DateTimeOffset openedAt)
{
    public const string Open = "open";
    public const string Won = "won";
    public const string Lost = "lost";

    private readonly Lock _gate = new();
    private string _status = Open;
    private DateTimeOffset? _closedAt;

    public string Id { get; } = id;

    public string ChargeId { get; } = chargeId;

    public string Reference { get; } = reference;

    public long AmountMinor { get; } = amountMinor;

    public string Currency { get; } = currency;

    public string Reason { get; } = reason;

    public DateTimeOffset DueBy { get; } = dueBy;

    public DateTimeOffset OpenedAt { get; } = openedAt;

    /// <summary>Closes an open dispute; <paramref name="closed"/> runs under its lock so the notification follows the open one.</summary>
    public bool TryClose(string outcome, DateTimeOffset now, Action closed)
    {
        lock (_gate)
        {
            if (_status != Open)
            {
                return false;
            }

            _status = outcome;
            _closedAt = now;
            closed();
            return true;
        }
    }

    public DisputeView ToView(string provider)
    {
        lock (_gate)
        {
            return new DisputeView(Id, provider, ChargeId, Reference, AmountMinor, Currency, Reason, DueBy, _status, OpenedAt, _closedAt);
        }
    }
}
