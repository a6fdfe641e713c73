package demo

import "strings"

// An origin is where a synthetic person's name comes from, and so their
// likely nationality and language. Names are written
// "Variant1/Variant2|native", where the variants are the Latin spellings that
// records really hold for the same name (Mohammed, Muhammad, Mohamed) and
// native is the name in the origin's own script, when it has one.
type origin struct {
	name   string
	weight int
	// nationalities and languages are weighted choices: "IQ:45".
	nationalities []string
	languages     []string
	// script is the ISO 15924 code of the native forms; nativeLanguages are
	// the languages whose speakers are recorded with them (all when empty).
	script          string
	nativeLanguages []string
	// english is the chance in 100 that the person prefers English.
	english int

	male, female, family []string
	// femaleFamily, when set, are family names women use (Kaur, Ivanova).
	femaleFamily []string
}

// name is one parsed name entry.
type name struct {
	variants []string
	native   string
}

func parseNames(entries []string) []name {
	out := make([]name, len(entries))
	for i, e := range entries {
		latin, native, _ := strings.Cut(e, "|")
		out[i] = name{variants: strings.Split(latin, "/"), native: native}
	}
	return out
}

var origins = []origin{
	{
		name: "Afghan", weight: 12, nationalities: []string{"AF:1"}, languages: []string{"fa-AF:55", "ps:45"},
		script: "Arab", english: 8,
		male: []string{"Mohammed/Muhammad/Mohammad/Mohamed|محمد", "Ahmad/Ahmed|احمد", "Ali|علی", "Hamid|حمید",
			"Rahim|رحیم", "Karim|کریم", "Jawad|جواد", "Farid|فرید", "Mustafa/Mostafa|مصطفی", "Navid/Naveed|نوید",
			"Sohail/Suhail|سهیل", "Wahid|وحید", "Yousuf/Yusuf/Yousef|یوسف", "Abdullah/Abdallah|عبدالله",
			"Hussain/Hussein/Hossain|حسین", "Bilal|بلال", "Idris/Edris|ادریس", "Nasir/Naser|ناصر", "Zabihullah/Zabiullah|ذبیح‌الله"},
		female: []string{"Fatima/Fatema|فاطمه", "Zahra|زهرا", "Maryam/Mariam|مریم", "Farzana|فرزانه", "Nadia|نادیه",
			"Parwana|پروانه", "Shabnam|شبنم", "Mina|مینا", "Laila/Layla/Leila|لیلا", "Soraya|ثریا", "Habiba|حبیبه",
			"Khadija/Khadijah|خدیجه"},
		family: []string{"Ahmadi|احمدی", "Mohammadi/Mohamadi|محمدی", "Rahimi|رحیمی", "Hakimi|حکیمی", "Karimi|کریمی",
			"Popal|پوپل", "Safi|صافی", "Sultani|سلطانی", "Noori/Nouri/Nuri|نوری", "Hashimi/Hashemi|هاشمی",
			"Haidari/Heidari/Haideri|حیدری", "Stanikzai|ستانکزی", "Yousafzai/Yousufzai/Yusufzai|یوسفزی", "Amiri|امیری",
			"Sharifi|شریفی", "Qaderi/Qadiri|قادری", "Wardak|وردک", "Sadat|سادات", "Azizi|عزیزی", "Khan|خان"},
	},
	{
		name: "Iranian", weight: 10, nationalities: []string{"IR:1"}, languages: []string{"fa:1"},
		script: "Arab", english: 12,
		male: []string{"Mohammad/Mohammed/Mohamad|محمد", "Ali|علی", "Reza|رضا", "Hossein/Hussein/Hosein|حسین",
			"Mehdi/Mahdi|مهدی", "Amir|امیر", "Hamed|حامد", "Saeed/Saeid/Said|سعید", "Behzad|بهزاد", "Arash|آرش",
			"Kourosh/Kurosh|کوروش", "Farhad|فرهاد", "Dariush/Darioush|داریوش", "Majid|مجید"},
		female: []string{"Fatemeh/Fatima|فاطمه", "Zahra|زهرا", "Maryam|مریم", "Sara/Sarah|سارا", "Narges|نرگس",
			"Leila/Leyla|لیلا", "Shirin|شیرین", "Niloufar/Nilufar|نیلوفر", "Parisa|پریسا", "Mahsa|مهسا", "Roya|رویا"},
		family: []string{"Hosseini/Husseini/Hoseini|حسینی", "Mohammadi|محمدی", "Rezaei/Rezaee/Rezai|رضایی",
			"Ahmadi|احمدی", "Karimi|کریمی", "Moradi|مرادی", "Jafari/Jaffari|جعفری", "Rahimi|رحیمی",
			"Ghorbani/Qorbani|قربانی", "Sadeghi/Sadeqi|صادقی", "Kazemi|کاظمی", "Tehrani|تهرانی", "Abbasi|عباسی",
			"Ebrahimi/Ibrahimi|ابراهیمی", "Najafi|نجفی"},
	},
	{
		name: "Iraqi", weight: 7, nationalities: []string{"IQ:1"}, languages: []string{"ar:1"},
		script: "Arab", english: 10,
		male: []string{"Mohammed/Muhammad/Mohamed/Mohammad|محمد", "Ahmed/Ahmad|أحمد", "Ali|علي",
			"Hussein/Hussain/Husain|حسين", "Hassan/Hasan|حسن", "Mustafa/Moustafa/Mostafa|مصطفى", "Abbas|عباس",
			"Haider/Haidar/Hayder|حيدر", "Omar/Umar|عمر", "Karrar|كرار", "Zaid/Zayd|زيد", "Yasser/Yasir/Yaser|ياسر",
			"Ammar|عمار", "Abdullah/Abdallah|عبدالله"},
		female: []string{"Fatima/Fatimah/Fatma|فاطمة", "Zainab/Zeinab/Zaynab|زينب", "Maryam/Mariam|مريم",
			"Noor/Nour/Nur|نور", "Huda/Hoda|هدى", "Aya/Ayah|آية", "Rusul|رسل", "Sarah/Sara|سارة", "Hawraa/Hawra|حوراء",
			"Shahad|شهد"},
		family: []string{"Al-Jubouri/Al Jubouri/Aljuboori|الجبوري", "Al-Tamimi/Al Tamimi/Altamimi|التميمي",
			"Al-Obaidi/Al Obaidi/Alobaidi|العبيدي", "Al-Saadi/Al Saadi|الساعدي", "Al-Dulaimi/Aldulaimi|الدليمي",
			"Hassan|حسن", "Abbas|عباس", "Jassim/Jasim|جاسم", "Kadhim/Kazim/Kathim|كاظم", "Al-Rubaie/Al Rubaie|الربيعي",
			"Salman|سلمان", "Hamid|حميد"},
	},
	{
		name: "Kurdish", weight: 8, nationalities: []string{"IQ:45", "IR:20", "SY:20", "TR:15"},
		languages: []string{"ckb:55", "kmr:45"}, script: "Arab", nativeLanguages: []string{"ckb"}, english: 10,
		male: []string{"Rebwar|ڕێبوار", "Karwan|کاروان", "Hawre|هاوڕێ", "Dilshad|دڵشاد", "Shwan|شوان", "Aram|ئارام",
			"Azad|ئازاد", "Sherzad|شێرزاد", "Hemin|هێمن", "Baran|باران", "Zana|زانا", "Soran|سۆران"},
		female: []string{"Shilan|شیلان", "Nazdar|نازدار", "Rozhin/Rojin|ڕۆژین", "Shirin|شیرین", "Berivan|بێریڤان",
			"Dilan|دیلان", "Hana|هانا", "Avin|ئاڤین", "Nishtiman|نیشتمان", "Zhiyan/Jiyan|ژیان"},
		family: []string{"Ahmed/Ahmad|ئەحمەد", "Mohammed/Muhammad|محەمەد", "Rashid/Rasheed|ڕەشید", "Aziz|عەزیز",
			"Karim|کەریم", "Abdullah|عەبدوڵڵا", "Hama|حەمە", "Salih/Saleh|ساڵح", "Omer/Omar|عومەر", "Qadir/Kadir|قادر",
			"Barzani|بارزانی", "Talabani|تاڵەبانی"},
	},
	{
		name: "Syrian", weight: 7, nationalities: []string{"SY:1"}, languages: []string{"ar:1"},
		script: "Arab", english: 12,
		male: []string{"Mohammed/Muhammad/Mohamad/Mohamed|محمد", "Ahmad/Ahmed|أحمد", "Khaled/Khalid|خالد",
			"Omar/Umar|عمر", "Mahmoud/Mahmud|محمود", "Yousef/Yusuf/Youssef|يوسف",
			"Abdulrahman/Abdelrahman/Abdul Rahman|عبد الرحمن", "Ibrahim/Ebrahim|إبراهيم", "Bashar|بشار", "Hamza|حمزة",
			"Rami|رامي", "Samer|سامر", "Tarek/Tariq|طارق", "Anas|أنس"},
		female: []string{"Fatima|فاطمة", "Aisha/Aysha/Ayesha|عائشة", "Rama|راما", "Lama|لمى", "Hala|هالة",
			"Rasha|رشا", "Nour/Noor|نور", "Yasmin/Yasmine|ياسمين", "Heba/Hiba|هبة", "Rana|رنا", "Dima|ديما", "Reem/Rim|ريم"},
		family: []string{"Al-Ahmad/Al Ahmad|الأحمد", "Haddad|حداد", "Khalil/Khaleel|خليل", "Hamdan|حمدان",
			"Al-Hassan/Al Hassan/Alhassan/El Hassan|الحسن", "Darwish/Darwiche|درويش", "Hammoud/Hamoud|حمود",
			"Al-Khatib/Al Khatib/Alkhatib|الخطيب", "Sabbagh|صباغ", "Al-Masri/Masri|المصري", "Halabi|حلبي",
			"Kassem/Qassem/Qasim|قاسم"},
	},
	{
		name: "Sudanese", weight: 7, nationalities: []string{"SD:1"}, languages: []string{"ar:1"},
		script: "Arab", english: 12,
		male: []string{"Mohamed/Mohammed/Muhammad|محمد", "Ahmed|أحمد", "Osman/Othman/Uthman|عثمان",
			"Abdelrahman/Abdalrahman/Abdulrahman|عبد الرحمن", "Hassan|حسن", "Ibrahim|إبراهيم", "Mohanad/Muhannad|مهند",
			"Musa/Mousa|موسى", "Adam|آدم", "Yahia/Yahya|يحيى", "Babiker/Babikir|بابكر", "Elfatih/El Fatih|الفاتح",
			"Mubarak|مبارك"},
		female: []string{"Fatima|فاطمة", "Amna/Amina|آمنة", "Hawa|حواء", "Mariam/Maryam|مريم", "Khadija|خديجة",
			"Aisha|عائشة", "Sara|سارة", "Nafisa|نفيسة", "Samah|سماح", "Tasneem|تسنيم"},
		family: []string{"Abdalla/Abdallah/Abdullah|عبدالله", "Osman|عثمان", "Elamin/El Amin/Al-Amin|الأمين",
			"Adam|آدم", "Ishag/Ishaq|إسحاق", "Elhassan/El Hassan|الحسن", "Suleiman/Sulaiman/Suliman|سليمان",
			"Mohamed/Mohammed|محمد", "Yousif/Yousef|يوسف", "Abakar/Abbaker|أبكر", "Hamid|حامد"},
	},
	{
		name: "Eritrean", weight: 10, nationalities: []string{"ER:1"}, languages: []string{"ti:90", "tig:10"},
		script: "Ethi", english: 8,
		male: []string{"Yonas|ዮናስ", "Yohannes/Yohanes|ዮሃንስ", "Dawit|ዳዊት", "Tesfay/Tesfaye|ተስፋይ",
			"Mikael/Michael|ሚካኤል", "Samuel|ሳሙኤል", "Filmon/Philmon|ፊልሞን", "Berhane|ብርሃነ", "Kidane|ኪዳነ",
			"Habtom|ሃብቶም", "Merhawi|መርሃዊ", "Amanuel/Emmanuel|ኣማኑኤል", "Efrem/Ephrem|ኤፍሬም", "Musie/Mussie|ሙሴ",
			"Senay|ሰናይ"},
		female: []string{"Selam|ሰላም", "Helen|ሄለን", "Saba|ሳባ", "Luwam|ሉዋም", "Feven|ፌቨን", "Yordanos|ዮርዳኖስ",
			"Mebrat|መብራት", "Hiwet|ሕይወት", "Winta|ዊንታ", "Ruta|ሩታ", "Semhar|ሰምሃር", "Tsega|ጸጋ"},
		family: []string{"Tesfamariam/Tesfamarim|ተስፋማርያም", "Gebremedhin/Ghebremedhin/Gebremedin|ገብረመድህን",
			"Haile|ሃይለ", "Tekle|ተኽለ", "Berhe|በርሀ", "Kidane|ኪዳነ", "Woldemichael/Weldemichael/Woldemikael|ወልደሚካኤል",
			"Ghebreyesus/Gebreyesus|ገብረየሱስ", "Tsegay/Tsegai|ጸጋይ", "Mehari|መሓሪ", "Ghirmay/Girmay|ግርማይ",
			"Asfaha|ኣስፍሃ", "Andemariam|ኣንደማርያም"},
	},
	{
		name: "Ethiopian", weight: 3, nationalities: []string{"ET:1"}, languages: []string{"am:60", "om:30", "ti:10"},
		script: "Ethi", nativeLanguages: []string{"am", "ti"}, english: 10,
		male: []string{"Abebe|አበበ", "Tesfaye|ተስፋዬ", "Dawit|ዳዊት", "Yohannes|ዮሐንስ", "Bekele|በቀለ", "Girma|ግርማ",
			"Alemayehu|ዓለማየሁ", "Solomon|ሰለሞን", "Getachew|ጌታቸው", "Mulugeta|ሙሉጌታ", "Abdi|ዓብዲ", "Chala|ጫላ"},
		female: []string{"Tigist|ትግስት", "Meron|ሜሮን", "Hanna/Hana|ሐና", "Bethlehem/Betelhem|ቤተልሔም",
			"Selamawit|ሰላማዊት", "Almaz|አልማዝ", "Mulu|ሙሉ", "Genet|ገነት", "Hiwot|ሕይወት", "Lensa|ለንሳ"},
		family: []string{"Tadesse/Tadese|ታደሰ", "Bekele|በቀለ", "Haile|ኃይሌ", "Girma|ግርማ", "Kebede|ከበደ",
			"Tesfaye|ተስፋዬ", "Alemu|ዓለሙ", "Wolde/Welde|ወልዴ", "Mekonnen/Mekonen|መኮንን", "Desta|ደስታ",
			"Gemechu|ገመቹ", "Abera|አበራ"},
	},
	{
		name: "Somali", weight: 3, nationalities: []string{"SO:1"}, languages: []string{"so:1"}, english: 15,
		male: []string{"Mohamed/Maxamed/Mohammed", "Abdi/Cabdi", "Abdirahman/Cabdiraxmaan/Abdulrahman", "Ahmed/Axmed",
			"Hassan/Xasan", "Hussein/Xuseen", "Ali/Cali", "Omar/Cumar", "Yusuf/Yuusuf", "Abdullahi/Cabdullaahi",
			"Ismail/Ismaaciil", "Liban", "Mahad", "Abdiaziz/Cabdicasiis"},
		female: []string{"Fadumo/Faadumo/Fatima", "Hodan", "Amina/Aamina", "Asha/Caasha", "Hawa/Xaawo", "Khadra",
			"Sahra/Sahro", "Ifrah", "Ayan/Ayaan", "Nimco/Nimo", "Farhiya", "Deeqa"},
		family: []string{"Mohamed/Maxamed", "Ali/Cali", "Hassan/Xasan", "Abdi/Cabdi", "Farah/Faarax", "Warsame",
			"Omar/Cumar", "Jama/Jaamac", "Hussein/Xuseen", "Osman/Cismaan", "Aden/Aadan", "Nur/Nuur", "Yusuf/Yuusuf",
			"Abdullahi/Cabdullaahi", "Egal/Cigaal"},
	},
	{
		name: "Albanian", weight: 10, nationalities: []string{"AL:85", "XK:15"}, languages: []string{"sq:1"}, english: 15,
		male: []string{"Arben", "Besnik", "Ermal", "Gentian", "Klodian", "Arjan", "Endrit", "Erion", "Dritan",
			"Fatjon", "Ilir", "Blerim", "Kristi", "Florjan", "Ardit", "Elton"},
		female: []string{"Elira", "Anila", "Blerta", "Dorina", "Entela", "Jonida", "Klea", "Mirela", "Ornela",
			"Valbona", "Xhesika/Jessica", "Besjana"},
		family: []string{"Hoxha/Hoxhaj/Hodja", "Shehu", "Gashi", "Krasniqi/Krasnici", "Berisha", "Dervishi", "Leka",
			"Çela/Cela", "Kola", "Prifti", "Muça/Muca", "Doçi/Doci", "Zeqiri", "Bajrami", "Rexhepi/Rexhaj"},
	},
	{
		name: "Vietnamese", weight: 6, nationalities: []string{"VN:1"}, languages: []string{"vi:1"}, english: 8,
		male: []string{"Văn Hùng/Van Hung", "Văn Nam/Van Nam", "Minh Tuấn/Minh Tuan", "Đức Anh/Duc Anh",
			"Quang Huy", "Thanh Tùng/Thanh Tung", "Hoàng Long/Hoang Long", "Văn Đức/Van Duc", "Minh Khôi/Minh Khoi",
			"Công Thành/Cong Thanh", "Văn Tài/Van Tai"},
		female: []string{"Thị Lan/Thi Lan", "Thị Hương/Thi Huong", "Thị Mai/Thi Mai", "Ngọc Anh/Ngoc Anh",
			"Thu Trang", "Thị Hoa/Thi Hoa", "Thanh Hằng/Thanh Hang", "Phương Linh/Phuong Linh", "Thị Ngọc/Thi Ngoc",
			"Mỹ Duyên/My Duyen"},
		family: []string{"Nguyễn/Nguyen", "Trần/Tran", "Lê/Le", "Phạm/Pham", "Hoàng/Hoang", "Huỳnh/Huynh", "Phan",
			"Vũ/Vu", "Võ/Vo", "Đặng/Dang", "Bùi/Bui", "Đỗ/Do", "Hồ/Ho", "Ngô/Ngo", "Dương/Duong"},
	},
	{
		name: "Chinese", weight: 4, nationalities: []string{"CN:90", "HK:10"}, languages: []string{"zh:80", "yue:20"},
		script: "Hans", english: 10,
		male: []string{"Wei|伟", "Jun|军", "Lei|磊", "Hao|浩", "Jie|杰", "Tao|涛", "Ming|明", "Yong|勇", "Qiang|强",
			"Jianguo/Jian Guo|建国", "Zhiwei/Zhi Wei|志伟", "Haitao/Hai Tao|海涛"},
		female: []string{"Fang|芳", "Lina/Li Na|丽娜", "Xiuying/Xiu Ying|秀英", "Jing|静", "Min|敏", "Yan|燕",
			"Hui|慧", "Xiaomei/Xiao Mei|小梅", "Ying|莹", "Na|娜"},
		family: []string{"Wang|王", "Li/Lee|李", "Zhang/Chang|张", "Liu|刘", "Chen/Chan|陈", "Yang|杨",
			"Huang/Wong|黄", "Zhao|赵", "Wu/Ng|吴", "Zhou/Chow|周", "Lin/Lam|林", "Xu|徐", "Sun|孙", "Ma|马", "Zhu|朱"},
	},
	{
		name: "Indian", weight: 5, nationalities: []string{"IN:1"}, languages: []string{"hi:55", "gu:20", "ta:10", "en:15"},
		script: "Deva", nativeLanguages: []string{"hi"}, english: 25,
		male: []string{"Rahul|राहुल", "Amit|अमित", "Vikram|विक्रम", "Sanjay|संजय", "Rajesh|राजेश", "Arjun|अर्जुन",
			"Rohit|रोहित", "Anil|अनिल", "Suresh|सुरेश", "Deepak|दीपक", "Mohammed/Mohammad|मोहम्मद", "Imran|इमरान"},
		female: []string{"Priya|प्रिया", "Pooja/Puja|पूजा", "Anjali|अंजलि", "Sunita|सुनीता", "Neha|नेहा",
			"Kavita|कविता", "Deepika|दीपिका", "Meera/Mira|मीरा", "Shabana|शबाना"},
		family: []string{"Sharma|शर्मा", "Patel|पटेल", "Kumar|कुमार", "Gupta|गुप्ता", "Verma|वर्मा", "Yadav|यादव",
			"Shah|शाह", "Reddy|रेड्डी", "Nair|नायर", "Khan|ख़ान", "Joshi|जोशी"},
	},
	{
		name: "Punjabi", weight: 3, nationalities: []string{"IN:1"}, languages: []string{"pa:1"}, script: "Guru", english: 15,
		male: []string{"Gurpreet|ਗੁਰਪ੍ਰੀਤ", "Harpreet|ਹਰਪ੍ਰੀਤ", "Manpreet|ਮਨਪ੍ਰੀਤ", "Jaspal|ਜਸਪਾਲ",
			"Harjit/Harjeet|ਹਰਜੀਤ", "Kuldeep/Kuldip|ਕੁਲਦੀਪ", "Sukhwinder/Sukhvinder|ਸੁਖਵਿੰਦਰ", "Amrit|ਅੰਮ੍ਰਿਤ",
			"Navdeep|ਨਵਦੀਪ"},
		female: []string{"Harpreet|ਹਰਪ੍ਰੀਤ", "Manpreet|ਮਨਪ੍ਰੀਤ", "Jasleen|ਜਸਲੀਨ", "Simran|ਸਿਮਰਨ", "Gurleen|ਗੁਰਲੀਨ",
			"Rajwinder|ਰਾਜਵਿੰਦਰ", "Navneet|ਨਵਨੀਤ"},
		family: []string{"Singh|ਸਿੰਘ", "Sandhu|ਸੰਧੂ", "Gill|ਗਿੱਲ", "Dhillon|ਢਿੱਲੋਂ", "Sidhu|ਸਿੱਧੂ", "Grewal|ਗਰੇਵਾਲ",
			"Brar|ਬਰਾੜ"},
		femaleFamily: []string{"Kaur|ਕੌਰ", "Sandhu|ਸੰਧੂ", "Gill|ਗਿੱਲ"},
	},
	{
		name: "Pakistani", weight: 7, nationalities: []string{"PK:1"}, languages: []string{"ur:70", "pa:20", "ps:10"},
		script: "Arab", nativeLanguages: []string{"ur", "ps"}, english: 25,
		male: []string{"Muhammad/Mohammad/Mohammed/Muhammed|محمد", "Ali|علی", "Usman/Osman/Uthman|عثمان",
			"Bilal|بلال", "Imran|عمران", "Asif|آصف", "Tariq|طارق", "Kamran|کامران", "Zubair/Zubayr|زبیر",
			"Hamza|حمزہ", "Faisal/Faysal|فیصل", "Adnan|عدنان", "Waqas|وقاص", "Shahid|شاہد"},
		female: []string{"Ayesha/Aisha/Aysha|عائشہ", "Fatima|فاطمہ", "Sana|ثنا", "Hira|حرا", "Nadia|نادیہ",
			"Saima|صائمہ", "Amina/Aamina|آمنہ", "Rabia|رابعہ", "Zainab|زینب", "Mehwish|مہوش", "Bushra|بشریٰ"},
		family: []string{"Khan|خان", "Ahmed/Ahmad|احمد", "Ali|علی", "Hussain/Hussein/Husain|حسین", "Malik|ملک",
			"Iqbal|اقبال", "Butt/Bhatt|بٹ", "Chaudhry/Chaudhary/Choudhry|چوہدری", "Raza|رضا",
			"Qureshi/Kureshi|قریشی", "Sheikh/Shaikh|شیخ", "Akhtar|اختر", "Mirza|مرزا", "Rehman/Rahman|رحمان"},
	},
	{
		name: "Bangladeshi", weight: 6, nationalities: []string{"BD:1"}, languages: []string{"bn:1"}, script: "Beng", english: 20,
		male: []string{"Mohammed/Mohammad/Muhammad/Md|মোহাম্মদ", "Abdul|আব্দুল", "Rahim|রহিম", "Karim|করিম",
			"Jamal|জামাল", "Kamal|কামাল", "Shafiqul/Shofiqul|শফিকুল", "Rafiqul|রফিকুল", "Habibur|হাবিবুর",
			"Mizanur|মিজানুর", "Sohel/Sohail|সোহেল", "Rubel|রুবেল", "Anwar/Anowar|আনোয়ার"},
		female: []string{"Fatema/Fatima|ফাতেমা", "Nasrin|নাসরিন", "Rokeya/Rokaya|রোকেয়া", "Shirin|শিরিন",
			"Taslima|তাসলিমা", "Shahana|শাহানা", "Sultana|সুলতানা", "Ruma|রুমা", "Jannatul|জান্নাতুল", "Sharmin|শারমিন"},
		family: []string{"Rahman/Rahaman|রহমান", "Islam|ইসলাম", "Hossain/Hussain/Hosen|হোসেন", "Ahmed|আহমেদ",
			"Uddin/Udin|উদ্দিন", "Miah/Mia|মিয়া", "Chowdhury/Choudhury|চৌধুরী", "Ali|আলী", "Alam|আলম",
			"Sarkar/Sarker|সরকার"},
		femaleFamily: []string{"Begum|বেগম", "Khatun|খাতুন", "Akter/Akhter|আক্তার", "Rahman|রহমান"},
	},
	{
		name: "Nigerian", weight: 4, nationalities: []string{"NG:1"}, languages: []string{"en:70", "yo:15", "ig:10", "ha:5"},
		english: 70,
		male: []string{"Oluwaseun/Seun", "Chukwuemeka/Emeka", "Adebayo", "Olumide", "Chinedu", "Ibrahim", "Musa",
			"Babatunde/Tunde", "Obinna", "Olusegun/Segun", "Emmanuel", "Samuel", "Daniel", "Ifeanyi"},
		female: []string{"Adaeze/Ada", "Chiamaka", "Oluwakemi/Kemi", "Folake", "Ngozi", "Blessing",
			"Funmilayo/Funmi", "Aisha", "Esther", "Grace", "Chioma", "Yetunde"},
		family: []string{"Okafor", "Adeyemi", "Okonkwo", "Balogun", "Eze", "Ogunleye", "Nwosu", "Abubakar",
			"Ibrahim", "Okeke", "Olawale", "Bello", "Oyelaran", "Uchenna"},
	},
	{
		name: "Ukrainian", weight: 3, nationalities: []string{"UA:1"}, languages: []string{"uk:70", "ru:30"},
		script: "Cyrl", english: 10,
		male: []string{"Oleksandr/Oleksander/Aleksandr|Олександр", "Serhii/Serhiy/Sergei|Сергій",
			"Andrii/Andriy/Andrey|Андрій", "Yurii/Yuriy/Yuri|Юрій", "Dmytro/Dmitry|Дмитро", "Mykola/Nikolai|Микола",
			"Volodymyr/Vladimir|Володимир", "Ivan|Іван", "Taras|Тарас", "Vitalii/Vitaliy|Віталій", "Oleh/Oleg|Олег",
			"Bohdan/Bogdan|Богдан", "Maksym/Maxim|Максим"},
		female: []string{"Olena/Elena/Yelena|Олена", "Iryna/Irina|Ірина", "Tetiana/Tetyana/Tatiana|Тетяна",
			"Nataliia/Natalia/Nataliya|Наталія", "Oksana|Оксана", "Yuliia/Yulia/Julia|Юлія", "Kateryna/Ekaterina|Катерина",
			"Anastasiia/Anastasia|Анастасія", "Svitlana/Svetlana|Світлана", "Mariia/Maria|Марія"},
		family: []string{"Shevchenko|Шевченко", "Kovalenko|Коваленко", "Bondarenko|Бондаренко", "Tkachenko|Ткаченко",
			"Kravchenko|Кравченко", "Melnyk/Melnik|Мельник", "Boiko/Boyko|Бойко", "Kovalchuk|Ковальчук",
			"Oliinyk/Oleynik|Олійник", "Shevchuk|Шевчук", "Polishchuk|Поліщук", "Lysenko|Лисенко", "Savchenko|Савченко"},
	},
	{
		name: "Russian", weight: 1, nationalities: []string{"RU:85", "BY:15"}, languages: []string{"ru:1"}, script: "Cyrl", english: 10,
		male: []string{"Aleksandr/Alexander/Alexandr|Александр", "Dmitrii/Dmitry/Dmitri|Дмитрий", "Sergei/Sergey|Сергей",
			"Andrei/Andrey|Андрей", "Aleksei/Alexey/Alexei|Алексей", "Mikhail|Михаил", "Ivan|Иван",
			"Nikolai/Nikolay|Николай", "Pavel|Павел", "Artem/Artyom|Артём"},
		female: []string{"Elena/Yelena|Елена", "Olga|Ольга", "Tatiana/Tatyana|Татьяна", "Natalia/Natalya|Наталья",
			"Irina|Ирина", "Anna|Анна", "Ekaterina/Yekaterina|Екатерина", "Svetlana|Светлана", "Maria/Mariya|Мария"},
		family: []string{"Ivanov|Иванов", "Smirnov|Смирнов", "Kuznetsov|Кузнецов", "Popov|Попов", "Volkov|Волков",
			"Sokolov|Соколов", "Petrov|Петров", "Morozov|Морозов", "Novikov|Новиков", "Fedorov/Fyodorov|Фёдоров"},
		femaleFamily: []string{"Ivanova|Иванова", "Smirnova|Смирнова", "Kuznetsova|Кузнецова", "Popova|Попова",
			"Volkova|Волкова", "Sokolova|Соколова", "Petrova|Петрова", "Morozova|Морозова"},
	},
	{
		name: "Turkish", weight: 4, nationalities: []string{"TR:1"}, languages: []string{"tr:1"}, english: 12,
		male: []string{"Mehmet", "Mustafa", "Ahmet", "Ali", "Hüseyin/Huseyin", "Hasan", "İbrahim/Ibrahim", "Murat",
			"Emre", "Yusuf", "Ömer/Omer", "Burak", "Serkan", "Oğuz/Oguz"},
		female: []string{"Ayşe/Ayse", "Fatma", "Emine", "Hatice", "Zeynep", "Elif", "Özlem/Ozlem", "Esra", "Merve",
			"Büşra/Busra", "Şule/Sule"},
		family: []string{"Yılmaz/Yilmaz", "Kaya", "Demir", "Şahin/Sahin", "Çelik/Celik", "Yıldız/Yildiz",
			"Yıldırım/Yildirim", "Öztürk/Ozturk", "Aydın/Aydin", "Özdemir/Ozdemir", "Arslan/Aslan", "Doğan/Dogan",
			"Kılıç/Kilic", "Koç/Koc"},
	},
}

// British names, for representatives' staff and sponsors.
var (
	britishGiven  = []string{"Sarah", "David", "Priya", "Tom", "Fiona", "Siobhan", "Rhys", "James", "Aisha", "Emma", "Gareth", "Kirsty", "Daniel", "Hannah", "Mohammed", "Grace", "Owen", "Ruth"}
	britishFamily = []string{"Jones", "Williams", "Patel", "Evans", "Campbell", "O'Neill", "Davies", "Wilson", "Khan", "Thompson", "Hughes", "MacDonald", "Smith", "Taylor", "Brown", "Roberts", "Murray", "Kelly"}
)

// Representatives: fictional firms. LawFirm is the one the demo sets up as
// an organisation with a user.
const (
	LawFirm  = "Example Immigration Law LLP"
	MPOffice = "Office of Sam Example MP"
)

var lawFirms = []string{
	LawFirm + ":30", "Sample & Co Solicitors:15", "Northern Refugee Legal Centre (demo):12",
	"Illustrative Legal Aid Practice:10", "Placeholder Law Chambers:8", "Demo Migrant Advice Service:10",
	"Specimen Solicitors:8", "Fictitious Legal Partnership:7",
}

// A place is a postcode district with its post town and nation.
type place struct {
	outward, town, nation string
	weight                int
}

// places are real postcode districts, weighted roughly to where people
// under reporting conditions live, with every nation of the UK present.
var places = []place{
	// England
	{"B6", "Birmingham", "England", 4}, {"B10", "Birmingham", "England", 4}, {"B11", "Birmingham", "England", 4},
	{"B19", "Birmingham", "England", 3}, {"M8", "Manchester", "England", 4}, {"M13", "Manchester", "England", 3},
	{"M14", "Manchester", "England", 3}, {"M40", "Manchester", "England", 2}, {"LS6", "Leeds", "England", 3},
	{"LS8", "Leeds", "England", 3}, {"LS11", "Leeds", "England", 2}, {"BD3", "Bradford", "England", 3},
	{"BD8", "Bradford", "England", 2}, {"S3", "Sheffield", "England", 2}, {"S4", "Sheffield", "England", 2},
	{"L7", "Liverpool", "England", 3}, {"L8", "Liverpool", "England", 2}, {"NE4", "Newcastle upon Tyne", "England", 2},
	{"NE6", "Newcastle upon Tyne", "England", 2}, {"NG7", "Nottingham", "England", 2}, {"LE5", "Leicester", "England", 2},
	{"CV1", "Coventry", "England", 2}, {"WV1", "Wolverhampton", "England", 2}, {"ST4", "Stoke-on-Trent", "England", 2},
	{"SR2", "Sunderland", "England", 1}, {"TS1", "Middlesbrough", "England", 2}, {"HU3", "Hull", "England", 2},
	{"DE23", "Derby", "England", 1}, {"PE1", "Peterborough", "England", 1}, {"LU1", "Luton", "England", 1},
	{"BS5", "Bristol", "England", 2}, {"PL4", "Plymouth", "England", 1}, {"SO14", "Southampton", "England", 1},
	{"PO1", "Portsmouth", "England", 1}, {"NR2", "Norwich", "England", 1}, {"CT9", "Margate", "England", 1},
	{"E1", "London", "England", 2}, {"E6", "London", "England", 2}, {"E13", "London", "England", 2},
	{"N15", "London", "England", 2}, {"SE15", "London", "England", 1}, {"NW10", "London", "England", 1},
	{"IG1", "Ilford", "England", 2}, {"UB3", "Hayes", "England", 1}, {"HA0", "Wembley", "England", 1},
	{"CR0", "Croydon", "England", 2}, {"RM6", "Romford", "England", 1},
	// Wales
	{"CF10", "Cardiff", "Wales", 2}, {"CF11", "Cardiff", "Wales", 2}, {"CF24", "Cardiff", "Wales", 3},
	{"SA1", "Swansea", "Wales", 3}, {"NP19", "Newport", "Wales", 2}, {"LL11", "Wrexham", "Wales", 1},
	{"LL57", "Bangor", "Wales", 1},
	// Scotland
	{"G3", "Glasgow", "Scotland", 2}, {"G21", "Glasgow", "Scotland", 3}, {"G31", "Glasgow", "Scotland", 3},
	{"G42", "Glasgow", "Scotland", 2}, {"G51", "Glasgow", "Scotland", 2}, {"EH6", "Edinburgh", "Scotland", 1},
	{"EH11", "Edinburgh", "Scotland", 1}, {"AB24", "Aberdeen", "Scotland", 1}, {"DD4", "Dundee", "Scotland", 1},
	{"PA1", "Paisley", "Scotland", 1}, {"FK2", "Falkirk", "Scotland", 1},
	// Northern Ireland
	{"BT1", "Belfast", "Northern Ireland", 1}, {"BT7", "Belfast", "Northern Ireland", 2},
	{"BT12", "Belfast", "Northern Ireland", 2}, {"BT15", "Belfast", "Northern Ireland", 1},
	{"BT48", "Londonderry", "Northern Ireland", 1}, {"BT34", "Newry", "Northern Ireland", 1},
}

var streets = []string{
	"High Street", "Station Road", "Church Lane", "Victoria Road", "Park Avenue", "Queen Street", "Mill Lane",
	"Albert Road", "King Street", "Grange Road", "Alexandra Road", "Springfield Road", "Manor Road", "York Road",
	"Stanley Road", "New Road", "Green Lane", "Crown Street", "Hawthorn Avenue", "Wellington Street",
	"Chapel Street", "Elm Grove", "Princes Street", "Castle Road", "Market Street", "Clarence Road",
}

var buildings = []string{"Ash Court", "Beech House", "Canal View", "Riverside House", "Oak Lodge", "Victoria Mansions", "Hope Court"}

// abroad are addresses overseas: where some people have gone, or have family.
var abroad = []struct{ country, town, postcode, street string }{
	{"FR", "Calais", "62100", "Rue Royale"}, {"FR", "Paris", "75018", "Rue Myrha"}, {"IE", "Dublin", "D01 F5P2", "Parnell Street"},
	{"DE", "Berlin", "10115", "Invalidenstraße"}, {"BE", "Bruxelles", "1000", "Rue Neuve"}, {"NL", "Amsterdam", "1012 AB", "Damrak"},
	{"IT", "Roma", "00184", "Via Nazionale"}, {"AL", "Tiranë", "1001", "Rruga e Durrësit"}, {"PK", "Lahore", "54000", "Mall Road"},
	{"IN", "New Delhi", "110001", "Janpath"}, {"NG", "Lagos", "100001", "Broad Street"}, {"SE", "Stockholm", "111 20", "Drottninggatan"},
}

// Reasons and details that records hold.
var (
	movedReasons = []string{"Moved to a new address", "Letter returned: not known at this address",
		"Left asylum accommodation", "Dispersed to new accommodation", "Address given in error"}
	mobileEndedReasons = []string{"Number no longer in use", "Phone lost", "Changed number"}
	agencies           = []string{"Local authority housing team", "Asylum accommodation provider", "HM Prison and Probation Service",
		"NHS GP practice", "Police"}
	relationships   = []string{"brother", "sister", "cousin", "friend", "uncle", "aunt", "husband", "wife", "mother"}
	accessibilities = []string{"Large print", "Easy read", "Uses a hearing loop", "Cannot read: phone before writing",
		"Wheelchair user: needs step-free access", "Uses a screen reader", "Dyslexic: plain language please"}
	sponsorOrgs = []string{"Homes for Sanctuary (demo)", "Example Community Sponsorship Group"}
)
