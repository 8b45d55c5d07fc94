package store

// SetBusyTimeoutForTest sets busy_timeout for databases opened afterwards
// and returns a function that restores it.
func SetBusyTimeoutForTest(millis int) (restore func()) {
	old := sqliteBusyTimeoutMillis
	sqliteBusyTimeoutMillis = millis
	return func() { sqliteBusyTimeoutMillis = old }
}
