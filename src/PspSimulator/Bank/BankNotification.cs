namespace Payments.Actors.PspSimulator.Bank;

/// <summary>A Bank notification (snake_case): the transfer as it is once booked or rejected; <c>occurred_at</c> is UTC to the second.</summary>
internal sealed record BankNotification(string NotificationId, string Event, string OccurredAt, BankTransferResponse Transfer);
