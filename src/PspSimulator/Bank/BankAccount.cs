namespace Payments.Actors.PspSimulator.Bank;

/// <summary>The account of a transfer. <see cref="ToString"/> masks the IBAN: account numbers never reach a log.</summary>
internal sealed record BankAccount(string? Iban)
{
    public override string ToString() => $"BankAccount {{ Iban = {BankTestAccounts.Mask(Iban)} }}";
}
