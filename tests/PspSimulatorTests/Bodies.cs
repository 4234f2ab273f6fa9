namespace Payments.Actors.PspSimulatorTests;

/// <summary>Request bodies in each provider's wire format.</summary>
internal static class Bodies
{
    public static string NewReference() => "ref-" + Guid.NewGuid().ToString("N");

    public static string NewKey() => "key-" + Guid.NewGuid().ToString("N");

    public static string PspAPayment(string reference, string cardNumber, long amount = 1000, bool capture = false, string currency = "USD") =>
        $$"""
        {"reference":"{{reference}}","amount":{{amount}},"currency":"{{currency}}","capture":{{(capture ? "true" : "false")}},
         "card":{"number":"{{cardNumber}}","exp_month":12,"exp_year":2030,"cvc":"123"}
        }
        """;

    public static string PspBTransaction(string merchantTxnId, string pan, long amountCents = 1000, string txnType = "AUTH", string expiry = "12/30") =>
        $$"""
        {"merchantTxnId":"{{merchantTxnId}}","amountCents":{{amountCents}},"ccy":"USD","txnType":"{{txnType}}",
         "pan":"{{pan}}","expiry":"{{expiry}}","cvv":"123"}
        """;

    public static string BankTransfer(string transferRef, string iban, string amount, string currency = "EUR", string direction = "CREDIT") =>
        $$"""
        {"transfer_ref":"{{transferRef}}","direction":"{{direction}}","account":{"iban":"{{iban}}"},
         "value":{"amount":"{{amount}}","currency":"{{currency}}"}
        }
        """;
}
