package store

import (
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"tether"
	"tether/reference"
)

// population makes synthetic people for tests and benchmarks: names drawn
// with a long-tailed frequency (a few very common, many rare, as among the
// people Tether keeps in contact with), spelt several ways, dates of birth
// sometimes partly or wholly unknown, and two or three contact points each.
// It is deterministic for a seed. Every value is fictional: phone numbers
// are in Ofcom's drama range and emails at example.org.
type population struct {
	r              *rand.Rand
	given, family  []string
	gcum, fcum     []float64
	now            time.Time
	outward        []string
	inwardLetters  string
	next           uint32
	withContacts   bool
	minYear, years int
}

var popGiven = []string{
	"Mohammed", "Muhammad", "Mohamed", "Ahmed", "Ahmad", "Ali", "Omar", "Hassan", "Hussein", "Ibrahim",
	"Yusuf", "Youssef", "Abdullah", "Mustafa", "Khalid", "Tariq", "Karim", "Rashid", "Hamid", "Said",
	"Fatima", "Aisha", "Zainab", "Maryam", "Amina", "Khadija", "Layla", "Noor", "Sara", "Huda",
	"Reza", "Mehdi", "Ali Reza", "Hossein", "Farhad", "Dariush", "Shirin", "Parisa", "Leila", "Soraya",
	"Aram", "Dilan", "Rebin", "Shilan", "Hemin", "Azad", "Bakhtiyar", "Rojin", "Zhilwan", "Kawa",
	"Abdirahman", "Abdi", "Hodan", "Faduma", "Ayaan", "Mulugeta", "Tesfaye", "Haile", "Selam", "Yonas",
	"Dawit", "Biniam", "Semhar", "Helen", "Filmon", "Mebrahtu", "Rahel", "Senait", "Kidane", "Tekle",
	"Van An", "Thi Lan", "Minh", "Tuan", "Hoang", "Duc", "Huong", "Linh", "Quang", "Thanh",
	"Wei", "Jing", "Li Na", "Xiaoming", "Hui", "Jun", "Mei", "Yan", "Lei", "Fang",
	"Aleksandr", "Alexander", "Sergei", "Dmitry", "Mikhail", "Olena", "Natalia", "Irina", "Andriy", "Oleksandr",
	"Arjun", "Priya", "Rahul", "Sunita", "Harpreet", "Gurpreet", "Imran", "Bilal", "Ayesha", "Nadia",
	"John", "David", "Michael", "Sarah", "Emma", "James", "Daniel", "Grace", "Joseph", "Mary",
	"Samuel", "Esther", "Emmanuel", "Blessing", "Chidi", "Ngozi", "Kwame", "Ama", "Kofi", "Abena",
}

var popFamily = []string{
	"Ali", "Khan", "Ahmed", "Hussain", "Hassan", "Mohamed", "Abdi", "Osman", "Yusuf", "Ibrahim",
	"Nguyen", "Tran", "Le", "Pham", "Hoang", "Phan", "Vu", "Dang", "Bui", "Do",
	"Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou",
	"Rahimi", "Ahmadi", "Hosseini", "Mohammadi", "Karimi", "Rezaei", "Moradi", "Jafari", "Sadeghi", "Ghorbani",
	"Tesfay", "Gebremedhin", "Haile", "Berhe", "Kidane", "Mehari", "Tekle", "Woldu", "Habte", "Ghebre",
	"Farah", "Warsame", "Jama", "Aden", "Nur", "Egal", "Hersi", "Dirie", "Samatar", "Mahamud",
	"Abdullah", "Rahman", "Karim", "Mahmoud", "Saleh", "Mustafa", "Haddad", "Nasser", "Khalil", "Aziz",
	"Petrov", "Ivanov", "Kovalenko", "Shevchenko", "Bondarenko", "Smirnov", "Popescu", "Nowak", "Kowalski", "Horvat",
	"Singh", "Kaur", "Patel", "Sharma", "Begum", "Chowdhury", "Islam", "Uddin", "Miah", "Hossain",
	"Smith", "Jones", "Williams", "Brown", "Taylor", "Davies", "Evans", "Wilson", "Thomas", "Johnson",
	"Okafor", "Okonkwo", "Adeyemi", "Mensah", "Boateng", "Asante", "Owusu", "Mwangi", "Otieno", "Kamau",
	"Barzani", "Talabani", "Zebari", "Rashid", "Amin", "Qadir", "Salih", "Jalal", "Hamad", "Kareem",
	"al-Hassan", "el-Sayed", "Abu Bakr", "bin Saleh", "Abdel Nour", "Van der Berg", "O'Brien", "MacDonald", "Fitzgerald", "De Souza",
}

// newPopulation returns a generator for a seed; references start at first.
func newPopulation(seed uint64, first uint32, now time.Time) *population {
	g := &population{
		r:             rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)),
		given:         popGiven,
		family:        popFamily,
		now:           now,
		next:          first,
		withContacts:  true,
		inwardLetters: "ABDEFGHJLNPQRSTUWXYZ",
		outward: []string{"SW1A", "E1", "E7", "E13", "N15", "N17", "NW10", "SE15", "SE18", "W2", "EC1A", "B6", "B10",
			"B19", "M8", "M14", "M16", "L8", "LS7", "LS8", "BD3", "BD8", "S3", "NG7", "LE4", "LE5", "CV1",
			"BS5", "CF10", "CF24", "G1", "G42", "EH6", "EH7", "AB10", "DD1", "BT1", "BT7", "NE4", "SR1",
			"HU3", "PE1", "LU1", "SL1", "RG1", "OX4", "CB1", "NR1", "PL1", "SO14"},
		minYear: 1950, years: 58,
	}
	g.gcum, g.fcum = zipf(len(g.given), 0.9), zipf(len(g.family), 0.9)
	return g
}

// zipf is the cumulative distribution of ranks with weight 1/rank^s.
func zipf(n int, s float64) []float64 {
	cum := make([]float64, n)
	total := 0.0
	for i := range cum {
		total += 1 / math.Pow(float64(i+1), s)
		cum[i] = total
	}
	for i := range cum {
		cum[i] /= total
	}
	return cum
}

func (g *population) pick(names []string, cum []float64) string {
	x := g.r.Float64()
	lo, hi := 0, len(cum)-1
	for lo < hi {
		mid := (lo + hi) / 2
		if cum[mid] < x {
			lo = mid + 1
		} else {
			hi = mid
		}
	}
	return names[lo]
}

func (g *population) postcode() string {
	return g.outward[g.r.IntN(len(g.outward))] + " " + strconv.Itoa(g.r.IntN(10)) +
		string(g.inwardLetters[g.r.IntN(len(g.inwardLetters))]) + string(g.inwardLetters[g.r.IntN(len(g.inwardLetters))])
}

func (g *population) mobile() string {
	return "+447700900" + strconv.Itoa(100+g.r.IntN(900))
}

// person makes the next person with their contact points.
func (g *population) person() tether.PersonImport {
	ref, _ := reference.New(g.next)
	n := g.next
	g.next++
	p := &tether.Person{Ref: ref, FamilyName: g.pick(g.family, g.fcum), GivenNames: g.pick(g.given, g.gcum)}
	if g.r.IntN(4) == 0 {
		p.GivenNames += " " + g.pick(g.given, g.gcum)
	}
	switch x := g.r.IntN(100); {
	case x < 4: // unknown
	case x < 10:
		p.DateOfBirth = tether.PartialDate{Year: g.minYear + g.r.IntN(g.years)}
	case x < 13:
		p.DateOfBirth = tether.PartialDate{Year: g.minYear + g.r.IntN(g.years), Month: 1 + g.r.IntN(12)}
	default:
		p.DateOfBirth = tether.PartialDate{Year: g.minYear + g.r.IntN(g.years), Month: 1 + g.r.IntN(12), Day: 1 + g.r.IntN(28)}
	}
	if g.r.IntN(10) == 0 {
		p.OtherNames = []tether.OtherName{{Kind: tether.NameAlias, FamilyName: g.pick(g.family, g.fcum), GivenNames: p.GivenNames}}
	}
	if g.r.IntN(5) == 0 {
		p.Nationality = []string{"AF", "ER", "IR", "IQ", "SY", "SD", "VN", "AL", "PK", "NG"}[g.r.IntN(10)]
	}
	if g.r.IntN(5) == 0 {
		p.Representative = &tether.Representative{Organisation: "Example Law " + strconv.Itoa(g.r.IntN(50)), Instructed: true}
	}
	row := tether.PersonImport{Person: p}
	if !g.withContacts {
		return row
	}
	from := g.now.Add(-time.Duration(1+g.r.IntN(2000)) * 24 * time.Hour)
	point := func(c *tether.ContactPoint) {
		c.Source, c.ValidFrom, c.Verification = tether.SourceImport, from, tether.Unverified
		if c.Party == "" {
			c.Party = tether.PartySelf
		}
		if g.r.IntN(3) == 0 {
			t := from.Add(time.Duration(g.r.IntN(30)) * 24 * time.Hour)
			c.LastConfirmedAt, c.ConfirmedHow, c.Verification = &t, "letter_reply", tether.Verified
		}
		if g.r.IntN(12) == 0 {
			c.Verification = tether.Failed
		}
		row.ContactPoints = append(row.ContactPoints, c)
	}
	point(&tether.ContactPoint{Kind: tether.KindPostal, ForCorrespondence: true, Address: &tether.Address{
		Lines: []string{strconv.Itoa(1+g.r.IntN(200)) + " Example Street"}, Town: "Exampleton", Postcode: g.postcode(), Country: "GB"}})
	point(&tether.ContactPoint{Kind: tether.KindMobile, Phone: g.mobile()})
	if g.r.IntN(2) == 0 {
		point(&tether.ContactPoint{Kind: tether.KindEmail, Email: "person" + strconv.FormatUint(uint64(n), 10) + "@example.org"})
	}
	if g.r.IntN(20) == 0 {
		point(&tether.ContactPoint{Kind: tether.KindMobile, Party: tether.PartyEmergencyContact, PartyName: "A Friend", Phone: g.mobile()})
	}
	return row
}

// batch makes n people.
func (g *population) batch(n int) []tether.PersonImport {
	b := make([]tether.PersonImport, n)
	for i := range b {
		b[i] = g.person()
	}
	return b
}
