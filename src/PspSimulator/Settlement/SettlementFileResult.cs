namespace Payments.Actors.PspSimulator.Settlement;

/// <summary>
/// What writing one day's settlement file did: <c>Files</c> and <c>Manifests</c> name what is on disk (two of each
/// with <c>duplicate_file</c>), <c>Written</c> is false when an identical file already stood, <c>Late</c> true when
/// the file is held back; <c>Lines</c> counts data lines, without the header.
/// </summary>
internal sealed record SettlementFileResult(
    string Provider, string ValueDate, IReadOnlyList<string> Files, IReadOnlyList<string> Manifests, int Lines, string Sha256, bool Written, bool Late);
