package darwin

import (
	"reflect"
	"testing"
)

// TestDsclValues reads both of dscl's layouts: "Key: value", and "Key:" with the value
// indented on the next line.
func TestDsclValues(t *testing.T) {
	out := []byte("PrimaryGroupID: 20\nUniqueID:\n 501\nRealName:\n Jane Doe\nNFSHomeDirectory: /Users/jane /x\n")
	want := map[string]string{"PrimaryGroupID": "20", "UniqueID": "501", "RealName": "Jane", "NFSHomeDirectory": "/Users/jane"}
	if got := dsclValues(out); !reflect.DeepEqual(got, want) {
		t.Errorf("dsclValues = %q, want %q", got, want)
	}
	if got := dsclValues([]byte("UniqueID: -2\n")); got["UniqueID"] != "-2" {
		t.Errorf("dsclValues = %q", got)
	}
}
