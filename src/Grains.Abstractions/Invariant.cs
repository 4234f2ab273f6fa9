namespace Payments.Actors;

/// <summary>
/// Release-build assertions (TigerBeetle style): a broken money invariant stops the operation before
/// anything is written, rather than letting a wrong balance become durable.
/// </summary>
public static class Invariant
{
    public static void Assert(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvariantViolationException(message);
        }
    }
}
