namespace Payments.Actors.PspSimulator.PspA;

/// <summary>A PSP A notification: <c>{ "id": "evt_…", "type", "created": unix seconds, "data": { "object": … } }</c>.</summary>
internal sealed record PspAEvent<TObject>(string Id, string Type, long Created, PspAEventData<TObject> Data);
