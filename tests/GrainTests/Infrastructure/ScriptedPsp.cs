using System.Collections.Concurrent;
using Payments.Actors.Grains.Psp;
using Payments.Actors.Psp;

namespace Payments.Actors.GrainTests.Infrastructure;

/// <summary>
/// A card PSP the test scripts, in place of the HTTP connectors: it approves by default, answers what
/// the test tells it to, and records every request it executed, so a test can count charges. It sits
/// behind the real <see cref="PspAdapterGrain"/> and its resilience pipeline, as a connector does.
/// </summary>
public sealed class ScriptedPsp(string name) : IPspConnector
{
    private readonly ConcurrentQueue<PspRequest> _executed = new();
    private readonly ConcurrentDictionary<string, PspResult> _answered = new(StringComparer.Ordinal);
    private Func<PspRequest, PspResult> _answer = r => Approve(name, r);

    public string Name => name;

    /// <summary>Every request this PSP executed, in arrival order (retries and replays included).</summary>
    public IReadOnlyList<PspRequest> Executed => [.. _executed];

    /// <summary>What the next requests are answered with; <see cref="Reset"/> goes back to approving.</summary>
    public void AnswerWith(Func<PspRequest, PspResult> answer) => Volatile.Write(ref _answer, answer);

    public void Reset() => Volatile.Write(ref _answer, r => Approve(name, r));

    /// <summary>Requests of one operation this PSP approved for one payment: for an authorisation, its charges.</summary>
    public int Approved(Guid paymentId, PspOperation operation) =>
        Executed.Count(r => r.PaymentId == paymentId && r.Operation == operation
            && _answered.TryGetValue(r.RequestId, out var answer) && answer.Outcome == PspOutcome.Approved);

    /// <summary>Requests of one operation that reached this PSP for one payment, whatever they were answered.</summary>
    public int Received(Guid paymentId, PspOperation operation) =>
        Executed.Count(r => r.PaymentId == paymentId && r.Operation == operation);

    public Task<PspResult> ExecuteAsync(PspRequest request, CancellationToken cancellationToken)
    {
        var answer = Volatile.Read(ref _answer)(request);
        // A real PSP is idempotent on our request id: the same request twice executes once and answers the same.
        answer = _answered.GetOrAdd(request.RequestId, answer);
        _executed.Enqueue(request);
        return Task.FromResult(answer);
    }

    public Task<PspResult> InquireAsync(PspRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(_answered.TryGetValue(request.RequestId, out var answer)
            ? answer
            : new PspResult(PspOutcome.NotFound, null, null, $"{name} has no record of {request.RequestId}."));

    public static PspResult Approve(string psp, PspRequest request) =>
        new(PspOutcome.Approved, $"{psp}_{request.PaymentId:N}", null, null,
            request.Operation == PspOperation.Authorize ? null : $"{psp}_op_{request.RequestId}");

    /// <summary>The refusal that proves nothing was sent (a refused connection): the one a payment may fail over on.</summary>
    public static PspResult Unreachable(PspRequest request) =>
        new(PspOutcome.Rejected, null, PspErrorCodes.Unreachable, "Scripted: connection refused.");
}
