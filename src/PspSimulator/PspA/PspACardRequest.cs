namespace Payments.Actors.PspSimulator.PspA;

/// <summary>The card in a PSP A payment request. <see cref="ToString"/> masks it: card data never reaches a log.</summary>
internal sealed record PspACardRequest(string? Number, int? ExpMonth, int? ExpYear, string? Cvc)
{
    public override string ToString() =>
        $"PspACardRequest {{ Number = {Simulation.TestCards.Mask(Number)}, ExpMonth = {ExpMonth}, ExpYear = {ExpYear}, Cvc = *** }}";
}
