using Payments.Actors.Payments;

namespace Payments.Actors.Psp;

[GenerateSerializer]
public enum PspOperation
{
    Authorize = 0,
    Capture = 1,
    Void = 2,
    Refund = 3,
}
