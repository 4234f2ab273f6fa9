using System.Text.Json.Serialization;

namespace Payments.Actors.PspSimulator.PspA;

/// <summary>The dispute in a <c>dispute.*</c> notification; <c>due_by</c> is unix seconds; <c>status</c> (<c>won</c>, <c>lost</c>) only once closed.</summary>
internal sealed record PspADisputeObject(
    string Object,
    string Id,
    string PaymentId,
    string Reference,
    long Amount,
    string Currency,
    string Reason,
    long DueBy,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Status);
