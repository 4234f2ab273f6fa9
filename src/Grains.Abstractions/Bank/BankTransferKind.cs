namespace Payments.Actors.Bank;

/// <summary>What a transfer does for the wallet: a cash-in pulls money from the holder's account, a cash-out pays it there.</summary>
[GenerateSerializer]
public enum BankTransferKind
{
    CashIn = 0,
    CashOut = 1,
}
