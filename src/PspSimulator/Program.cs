using Payments.Actors.PspSimulator;

// Stands in for PSP A, PSP B and the Bank over real HTTP; see README.md.
var app = PspSimulatorApp.Build(args);
await app.RunAsync();
