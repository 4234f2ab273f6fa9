namespace Payments.Actors.PspSimulator.PspA;

/// <summary>The <c>data</c> of a PSP A notification: the object it is about.</summary>
internal sealed record PspAEventData<TObject>(TObject Object);
