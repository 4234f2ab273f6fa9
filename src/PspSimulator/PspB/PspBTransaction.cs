using System.Globalization;
using Payments.Actors.PspSimulator.Simulation;

namespace Payments.Actors.PspSimulator.PspB;

/// <summary>
/// A PSP B transaction. Follow-up operations answer with a response code rather than an HTTP error,
/// as an ISO 8583 host would; changes happen under the transaction's own lock, and so do the callbacks
/// that publish their notifications. Its "settle" is the capture; <see cref="TrySettle"/> is the later
/// settlement of the captured funds (<c>SETTLEMENT</c>).
/// </summary>
internal sealed class PspBTransaction : ICardCharge
{
    public const int CreditsMax = 100;

    // Seeded from the wall clock only so ids stay unique across simulator restarts.
    private static long _lastId = DateTimeOffset.UtcNow.ToUnixTimeSeconds() * 1_000_000;

    private readonly Lock _gate = new();
    private string _state;
    private long _settledCents;
    private long _creditedCents;
    private int _creditCount;
    private bool _paidOut;
    private bool _disputed;

    public PspBTransaction(
        string merchantTxnId, string txnType, long amountCents, string ccy, string responseCode, DateTimeOffset createdAt)
    {
        TxnId = "B" + Interlocked.Increment(ref _lastId).ToString(CultureInfo.InvariantCulture);
        MerchantTxnId = merchantTxnId;
        TxnType = txnType;
        AmountCents = amountCents;
        Ccy = ccy;
        ResponseCode = responseCode;
        CreatedAt = createdAt;
        var approved = responseCode == PspBResponseCodes.Approved;
        AuthCode = approved ? Random.Shared.Next(1_000_000).ToString("D6", CultureInfo.InvariantCulture) : null;
        _state = !approved ? PspBState.Refused : txnType == PspBApi.TxnTypeSale ? PspBState.Settled : PspBState.Authorised;
        _settledCents = _state == PspBState.Settled ? amountCents : 0;
    }

    public string TxnId { get; }

    public string MerchantTxnId { get; }

    public string TxnType { get; }

    public long AmountCents { get; }

    public string Ccy { get; }

    /// <summary>The response code of the authorisation itself.</summary>
    public string ResponseCode { get; }

    public string? AuthCode { get; }

    public DateTimeOffset CreatedAt { get; }

    string ICharge.Id => TxnId;

    string ICharge.Reference => MerchantTxnId;

    string ICardCharge.Currency => Ccy;

    public bool IsCaptured
    {
        get
        {
            lock (_gate)
            {
                return _state == PspBState.Settled;
            }
        }
    }

    public PspBTransactionResponse ToResponse()
    {
        lock (_gate)
        {
            return Snapshot(ResponseCode);
        }
    }

    public PspBTransactionResponse Settle(long? amountCents, Action<PspBTransactionResponse> captured)
    {
        lock (_gate)
        {
            var settled = amountCents ?? AmountCents;
            var code = _state != PspBState.Authorised ? PspBResponseCodes.InvalidTransaction
                : settled <= 0 || settled > AmountCents ? PspBResponseCodes.InvalidAmount
                : PspBResponseCodes.Approved;
            if (code == PspBResponseCodes.Approved)
            {
                _state = PspBState.Settled;
                _settledCents = settled;
                Invariant.Assert(_settledCents <= AmountCents, $"transaction {TxnId} settled {_settledCents} of {AmountCents}");
                captured(Snapshot(code));
            }

            return Snapshot(code);
        }
    }

    public PspBTransactionResponse Reverse(Action<PspBTransactionResponse> reversed)
    {
        lock (_gate)
        {
            var code = _state == PspBState.Authorised ? PspBResponseCodes.Approved : PspBResponseCodes.InvalidTransaction;
            if (code == PspBResponseCodes.Approved)
            {
                _state = PspBState.Reversed;
                reversed(Snapshot(code));
            }

            return Snapshot(code);
        }
    }

    /// <summary>Credits (refunds) part of what was settled; <paramref name="done"/> gets the credit's reference (<c>&lt;txnId&gt;:R&lt;n&gt;</c>, also in the answer's <c>creditRef</c>) and amount.</summary>
    public PspBTransactionResponse Credit(long? amountCents, Action<PspBTransactionResponse, string, long> done)
    {
        lock (_gate)
        {
            var credited = amountCents ?? _settledCents - _creditedCents;
            var code = _state != PspBState.Settled || _creditCount == CreditsMax ? PspBResponseCodes.InvalidTransaction
                : credited <= 0 || _creditedCents + credited > _settledCents ? PspBResponseCodes.InvalidAmount
                : PspBResponseCodes.Approved;
            if (code == PspBResponseCodes.Approved)
            {
                _creditedCents += credited;
                _creditCount++;
                Invariant.Assert(_creditedCents <= _settledCents, $"transaction {TxnId} credited {_creditedCents} of {_settledCents} settled");
                var reference = string.Create(CultureInfo.InvariantCulture, $"{TxnId}:R{_creditCount}");
                var answer = Snapshot(code) with { CreditRef = reference };
                done(answer, reference, credited);
                return answer;
            }

            return Snapshot(code);
        }
    }

    public bool TrySettle(Action settled)
    {
        lock (_gate)
        {
            if (_state != PspBState.Settled || _paidOut)
            {
                return false;
            }

            _paidOut = true;
            settled();
            return true;
        }
    }

    public DisputeCheck TryDispute(long? amountMinor, Action<long> opened)
    {
        lock (_gate)
        {
            var disputed = amountMinor ?? _settledCents;
            var check = _state != PspBState.Settled ? DisputeCheck.NotCaptured
                : _disputed ? DisputeCheck.AlreadyDisputed
                : disputed <= 0 || disputed > _settledCents ? DisputeCheck.InvalidAmount
                : DisputeCheck.Opened;
            if (check == DisputeCheck.Opened)
            {
                _disputed = true;
                opened(disputed);
            }

            return check;
        }
    }

    public ChargeSummary Summarize(DateTimeOffset now)
    {
        lock (_gate)
        {
            var reason = ResponseCode == PspBResponseCodes.Approved ? null : ResponseCode;
            return new ChargeSummary(TxnId, MerchantTxnId, TxnType, _state, AmountCents, Ccy, _settledCents, _creditedCents, reason, CreatedAt, _paidOut);
        }
    }

    private PspBTransactionResponse Snapshot(string responseCode) => new(
        TxnId, MerchantTxnId, responseCode, PspBResponseCodes.Text(responseCode), AuthCode, _state, AmountCents, Ccy, _settledCents, _creditedCents);
}
