//go:build race

package phone

// raceOn: the race detector makes the library comparison about 30 times
// slower; it runs no goroutines, so a sample does under -race.
const raceOn = true
